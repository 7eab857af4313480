using LoraPar.Adapters;
using TorchSharp;
using Module = TorchSharp.torch.nn.Module;

namespace LoraPar.Method.Importance;

/// <summary>
/// Swaps every adapter of a <see cref="LoraAdapterSet"/> for a <see cref="CapturingLoraLinear"/> (through
/// <see cref="ModuleSurgery"/>) and swaps the original <see cref="LoraLinear"/> modules back on <see cref="Dispose"/>, so
/// the model is exactly as before. Every adapter must sit at its path in <c>root</c>, enabled and unmerged.
/// </summary>
public sealed class LoraCaptureSession : IDisposable
{
    private readonly Module root;
    private readonly List<(string Path, CapturingLoraLinear Layer)> layers = [];
    private readonly List<LoraLinear> originals = [];
    private bool disposed;

    /// <summary>
    /// Puts the capturing wrappers in place of the adapters of <paramref name="adapters"/> inside <paramref name="root"/>, in
    /// <paramref name="form"/> (by default each layer's <see cref="LoraCaptureForms.For"/> its base weight's dtype).
    /// </summary>
    public LoraCaptureSession(Module root, LoraAdapterSet adapters, LoraCaptureForm? form = null)
    {
        this.root = root;
        foreach (var (path, layer) in adapters.Layers)
            if (!ReferenceEquals(ModuleSurgery.Get(root, path), layer))
                throw new InvalidOperationException($"the adapter of '{path}' is not the module at that path of this model: score the model the adapters were injected into");
        try
        {
            foreach (var (path, layer) in adapters.Layers)
            {
                var wrapper = new CapturingLoraLinear(layer, form);
                ModuleSurgery.Replace(root, path, wrapper);
                layers.Add((path, wrapper));
                originals.Add(layer);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The wrappers by module path, in the adapter set's order.</summary>
    public IReadOnlyList<(string Path, CapturingLoraLinear Layer)> Layers => layers;

    /// <summary>Forgets every wrapper's last capture.</summary>
    public void Clear() => layers.ForEach(l => l.Layer.Clear());

    /// <summary>Puts the original adapters back and frees the wrappers.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        for (var i = 0; i < layers.Count; i++)
        {
            ModuleSurgery.Replace(root, layers[i].Path, originals[i]);
            layers[i].Layer.Dispose();
        }
        layers.Clear();
        originals.Clear();
    }
}

using static TorchSharp.torch;

namespace LoraPar.Adapters;

/// <summary>
/// The adapters folded into their base weights for inference only — W ← W + s·B·A, the weight PEFT's merge gives — so
/// generation runs one matmul per projection instead of the base matmul plus the rank-r branch (on the tiny CPU model the
/// branch made batched sampling ≈ 1.7× slower). Disposing puts every base weight back bit for bit from a copy, so training
/// continues from exactly the weights it left. Only float32 base weights are merged: in bf16/fp16 adding a small ΔW to W
/// rounds most of it away, and the merged model would no longer be the policy being trained.
/// </summary>
public sealed class MergedInference : IDisposable
{
    private readonly List<(LoraLinear Layer, Tensor Original)> merged = [];

    private MergedInference()
    {
    }

    /// <summary>
    /// Merges every layer of <paramref name="adapters"/> for the scope's lifetime, or returns null (nothing merged) when
    /// any layer is disabled or already merged, or its base weight is not float32.
    /// </summary>
    public static MergedInference? Open(LoraAdapterSet adapters)
    {
        if (!Applies(adapters)) return null;
        var scope = new MergedInference();
        try
        {
            foreach (var layer in adapters.Layers.Values) scope.merged.Add((layer, layer.MergeKeepingBase()));
        }
        catch
        {
            scope.Dispose();
            throw;
        }
        return scope;
    }

    /// <summary>Whether <see cref="Open"/> would merge: every layer enabled, unmerged, with a float32 base weight.</summary>
    public static bool Applies(LoraAdapterSet adapters) =>
        adapters.Layers.Count > 0 &&
        adapters.Layers.Values.All(l => l.Enabled && !l.Merged && l.BaseLayer.weight.dtype == ScalarType.Float32);

    /// <summary>Restores every base weight and the adapter path.</summary>
    public void Dispose()
    {
        foreach (var (layer, original) in merged)
        {
            layer.RestoreBase(original);
            original.Dispose();
        }
        merged.Clear();
    }
}

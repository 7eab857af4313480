using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Model.Llama;

/// <summary>
/// Linear projections of the same input — q, k and v, or gate and up — whose weights share one block of memory: the block
/// is (in, Σ out) row-major and projection i's weight (out_i, in) is a transposed view of its columns (strides (1, Σ out)).
/// Each projection stays a separate <see cref="Linear"/> with its own parameter, name and gradient, and checkpoints,
/// initialisers and optimizers write through the views in place; but when no gradient is wanted, one matmul over the block
/// computes all of them. At batch-1 decoding that halves the number of weight-streaming matmuls, each on a larger matrix.
/// </summary>
public sealed class FusedProjection : IDisposable
{
    private readonly Tensor _block;
    private readonly Tensor? _bias;
    private readonly Linear[] _layers;
    private readonly Parameter[] _weights;
    private readonly Parameter?[] _biases;
    private readonly long[] _sizes;

    /// <summary>Allocates the shared (uninitialised) block for projections <paramref name="inFeatures"/> → each of <paramref name="outFeatures"/>.</summary>
    public FusedProjection(long inFeatures, IReadOnlyList<long> outFeatures, bool bias, ScalarType dtype, Device device)
    {
        _sizes = outFeatures.ToArray();
        var total = _sizes.Sum();
        _block = torch.empty([inFeatures, total], dtype, device).DetachFromDisposeScope();   // (in, Σ out)
        _bias = bias ? torch.empty([total], dtype, device).DetachFromDisposeScope() : null;   // (Σ out)
        var offsets = _sizes.Select((_, i) => _sizes.Take(i).Sum()).ToArray();
        _weights = _sizes.Select((size, i) => new Parameter(_block.narrow(1, offsets[i], size).t(), requires_grad: true)).ToArray();  // (out_i, in)
        _biases = _sizes.Select((size, i) => _bias is null ? null : new Parameter(_bias.narrow(0, offsets[i], size), requires_grad: true)).ToArray();  // (out_i)
        _layers = _sizes.Select((_, i) => nn.Linear(_weights[i], _biases[i])).ToArray();
    }

    /// <summary>The projections, in the order of the output sizes given.</summary>
    public IReadOnlyList<Linear> Layers => _layers;

    /// <summary>
    /// The outputs (…, out_i) of every projection for <paramref name="x"/> (…, in) from one matmul over the block, or null when
    /// the block cannot stand in for <paramref name="current"/> (the modules now serving the projections): a projection was
    /// swapped (e.g. wrapped by an adapter), a weight was replaced (e.g. by a dtype or device move), or a gradient is wanted.
    /// The outputs are views into one (…, Σ out) tensor.
    /// </summary>
    public Tensor[]? TryProject(Tensor x, params Module<Tensor, Tensor>[] current)
    {
        if (!Serves(current)) return null;
        return functional.linear(x, _block.t(), _bias).split(_sizes, -1);   // (…, out_i) each
    }

    private bool Serves(Module<Tensor, Tensor>[] current)
    {
        if (current.Length != _layers.Length) return false;
        for (var i = 0; i < current.Length; i++)
            if (!ReferenceEquals(current[i], _layers[i]) || !ReferenceEquals(_layers[i].weight, _weights[i]) || !ReferenceEquals(_layers[i].bias, _biases[i]))
                return false;
        return !torch.is_grad_enabled() || !_weights.Concat(_biases).Any(p => p is { requires_grad: true });
    }

    /// <summary>Releases this object's handles on the block; the projections' views keep their memory alive while they live.</summary>
    public void Dispose()
    {
        _block.Dispose();
        _bias?.Dispose();
    }
}

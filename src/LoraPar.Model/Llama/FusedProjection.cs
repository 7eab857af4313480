using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Model.Llama;

/// <summary>
/// A copy of the weights of linear projections that read the same input — q, k and v, or gate and up — laid side by side
/// as one (in, Σ out) row-major block, so that one matmul computes all of them. At batch-1 decoding a matmul streams its
/// weights, and one wide block streams faster than several narrow ones (and costs one op instead of several).
/// The block is a snapshot: it is taken for one inference session (<see cref="ProjectionFusion"/>) during which the
/// weights do not change, and it stands in only for the plain projections it was copied from, and only when no
/// gradient is wanted; training always runs through the projections' own parameters.
/// </summary>
public sealed class FusedProjection : IDisposable
{
    private readonly Linear[] _sources;
    private readonly Tensor _block;
    private readonly Tensor? _bias;
    private readonly long[] _sizes;

    private FusedProjection(Linear[] sources)
    {
        _sources = sources;
        _sizes = sources.Select(s => s.weight!.shape[0]).ToArray();
        using var noGrad = torch.no_grad();
        _block = torch.cat(sources.Select(s => s.weight!.t()).ToArray(), 1).DetachFromDisposeScope();            // (in, Σ out)
        _bias = sources[0].bias is null ? null : torch.cat(sources.Select(s => s.bias!).ToArray(), 0).DetachFromDisposeScope();  // (Σ out)
    }

    /// <summary>
    /// The fused copy of <paramref name="projections"/>, or null when they cannot be fused: one is not a plain
    /// <see cref="Linear"/> (e.g. wrapped by an adapter), or some have a bias and others not.
    /// </summary>
    public static FusedProjection? Create(IReadOnlyList<Module<Tensor, Tensor>> projections)
    {
        if (projections.Count == 0 || projections.Any(p => p is not Linear { weight: not null })) return null;
        var linears = projections.Cast<Linear>().ToArray();
        if (linears.Select(l => l.bias is null).Distinct().Count() > 1) return null;
        return new FusedProjection(linears);
    }

    /// <summary>
    /// The outputs (…, out_i) of every projection for <paramref name="x"/> (…, in) from one matmul over the block (views
    /// into one (…, Σ out) tensor), or null when the block cannot stand in for <paramref name="current"/>, the modules now
    /// serving the projections: they are not the ones it was copied from, or a weight gradient is wanted.
    /// </summary>
    public Tensor[]? TryProject(Tensor x, params Module<Tensor, Tensor>[] current)
    {
        if (!Serves(current)) return null;
        return functional.linear(x, _block.t(), _bias).split(_sizes, -1);   // (…, out_i) each
    }

    private bool Serves(Module<Tensor, Tensor>[] current)
    {
        if (current.Length != _sources.Length) return false;
        for (var i = 0; i < current.Length; i++)
            if (!ReferenceEquals(current[i], _sources[i])) return false;
        return !torch.is_grad_enabled() || !_sources.SelectMany(s => s.parameters()).Any(p => p.requires_grad);
    }

    public void Dispose()
    {
        _block.Dispose();
        _bias?.Dispose();
    }
}

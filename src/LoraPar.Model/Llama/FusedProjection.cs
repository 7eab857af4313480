using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Model.Llama;

/// <summary>
/// The weights of linear projections that read the same input — q, k and v, or gate and up — copied side by side into one
/// (in, Σ out) row-major block, so that one matmul computes all of them; or the weight of a single projection, viewed as
/// (in, out) without a copy. At batch-1 decoding a matmul streams its weights, one wide block streams faster than several
/// narrow ones, and a single input row on the CPU goes through <see cref="CpuMatvec"/>.
/// A block of several projections is a snapshot: it is taken for one inference session (<see cref="ProjectionFusion"/>)
/// during which the weights do not change. It stands in only for the plain projections it was made from, and only when
/// no weight gradient is wanted; training always runs through the projections' own parameters.
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
        _block = sources.Length == 1
            ? sources[0].weight!.detach().t()                                                                     // (in, out), the live weight
            : torch.cat(sources.Select(s => s.weight!.detach().t()).ToArray(), 1);                               // (in, Σ out)
        _bias = sources[0].bias is null ? null
            : sources.Length == 1 ? sources[0].bias!.detach()                                                     // (out)
            : torch.cat(sources.Select(s => s.bias!.detach()).ToArray(), 0);                                     // (Σ out)
        _block.DetachFromDisposeScope();
        _bias?.DetachFromDisposeScope();
    }

    /// <summary>
    /// The fused form of <paramref name="projections"/>, or null when they cannot be fused: one is not a plain
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
    /// serving the projections: they are not the ones it was made from, or a weight gradient is wanted — or a block of
    /// several projections gets more than one input row (measured: at 8–32 rows one wide GEMM is no faster than separate ones).
    /// </summary>
    public Tensor[]? TryProject(Tensor x, params Module<Tensor, Tensor>[] current)
    {
        if (!Serves(current) || (_sizes.Length > 1 && x.numel() != _block.shape[0])) return null;
        var differentiable = torch.is_grad_enabled() && x.requires_grad;
        var y = !differentiable && CpuMatvec.Applies(x, _block)
            ? CpuMatvec.Multiply(x, _block, _bias).view([.. x.shape[..^1], _block.shape[1]])   // (…, Σ out), one row
            : functional.linear(x, _block.t(), _bias);                                          // (…, Σ out)
        return _sizes.Length == 1 ? [y] : y.split(_sizes, -1);                                   // (…, out_i) each
    }

    private bool Serves(Module<Tensor, Tensor>[] current)
    {
        if (current.Length != _sources.Length) return false;
        for (var i = 0; i < current.Length; i++)
            if (!ReferenceEquals(current[i], _sources[i])) return false;
        return !torch.is_grad_enabled() || !_sources.SelectMany(s => s.parameters()).Any(p => p.requires_grad);
    }

    /// <summary>Releases the block (a copy) or this object's view of the single weight.</summary>
    public void Dispose()
    {
        _block.Dispose();
        _bias?.Dispose();
    }
}

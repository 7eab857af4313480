using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Model.Llama;

/// <summary>
/// The weights of linear projections that read the same input — q, k and v; gate and up; or a single one (o, down, the LM
/// head) — copied side by side into one <see cref="CpuMatvec"/>-packed block, so that one streaming matvec computes all of
/// them for a single input row: the shape of every projection at batch-1 decoding on the CPU. The block is a snapshot,
/// taken for one inference session (<see cref="ProjectionFusion"/>) during which the weights do not change. It stands in
/// only for the plain projections it was copied from, only for one input row, and only when no gradient is wanted;
/// everything else (training, batches, prefill) runs through the projections themselves.
/// </summary>
public sealed class FusedProjection : IDisposable
{
    private readonly Linear[] _sources;
    private readonly Tensor _packed;
    private readonly Tensor? _bias;
    private readonly long[] _sizes;
    private readonly long _inputs;
    private readonly long _outputs;
    private readonly int _threads;

    private FusedProjection(Linear[] sources, int threads)
    {
        _sources = sources;
        _threads = threads;
        _sizes = sources.Select(s => s.weight!.shape[0]).ToArray();
        _inputs = sources[0].weight!.shape[1];
        _outputs = _sizes.Sum();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        _packed = CpuMatvec.Pack(sources.Select(s => s.weight!.detach().t()).ToArray()).DetachFromDisposeScope();  // (in/8, Σ out'/8, 8, 8)
        _bias = sources[0].bias is null ? null : torch.cat(sources.Select(s => s.bias!.detach()).ToArray(), 0).DetachFromDisposeScope();  // (Σ out)
    }

    /// <summary>
    /// The fused copy of <paramref name="projections"/>, or null when they cannot be fused: one is not a plain
    /// <see cref="Linear"/> (e.g. wrapped by an adapter), their weights are not <see cref="CpuMatvec.CanPack">packable</see>
    /// (not CPU float32), or some have a bias and others not. Large blocks are streamed by up to <paramref name="threads"/> threads.
    /// </summary>
    public static FusedProjection? Create(IReadOnlyList<Module<Tensor, Tensor>> projections, int threads = 1)
    {
        if (projections.Count == 0 || projections.Any(p => p is not Linear { weight: not null })) return null;
        var linears = projections.Cast<Linear>().ToArray();
        if (linears.Select(l => l.bias is null).Distinct().Count() > 1 || linears.Select(l => l.weight!.shape[1]).Distinct().Count() > 1) return null;
        var first = linears[0].weight!;
        if (linears.Any(l => l.weight!.dtype != first.dtype || l.weight.device_type != first.device_type)
            || !CpuMatvec.CanPack(first.shape[1], linears.Sum(l => l.weight!.shape[0]), first.dtype, first.device_type)) return null;
        return new FusedProjection(linears, threads);
    }

    /// <summary>
    /// The outputs (…, out_i) of every projection for the single input row <paramref name="x"/> (…, in), from one packed
    /// matvec (views into one (…, Σ out) tensor), or null when the copy cannot stand in for <paramref name="current"/>, the
    /// modules now serving the projections: they are not the ones it was copied from, <paramref name="x"/> holds more than
    /// one row, or a gradient is wanted.
    /// </summary>
    public Tensor[]? TryProject(Tensor x, params Module<Tensor, Tensor>[] current)
    {
        if (x.numel() != _inputs || x.device_type != DeviceType.CPU || x.dtype != ScalarType.Float32 || !Serves(current)) return null;
        if (torch.is_grad_enabled() && (x.requires_grad || _sources.SelectMany(s => s.parameters()).Any(p => p.requires_grad))) return null;
        var y = CpuMatvec.Multiply(x, _packed, _outputs, _bias, _threads);                                      // (…, Σ out)
        return _sizes.Length == 1 ? [y] : y.split(_sizes, -1);                                                   // (…, out_i) each
    }

    private bool Serves(Module<Tensor, Tensor>[] current)
    {
        if (current.Length != _sources.Length) return false;
        for (var i = 0; i < current.Length; i++)
            if (!ReferenceEquals(current[i], _sources[i])) return false;
        return true;
    }

    /// <summary>Releases the packed copy.</summary>
    public void Dispose()
    {
        _packed.Dispose();
        _bias?.Dispose();
    }
}

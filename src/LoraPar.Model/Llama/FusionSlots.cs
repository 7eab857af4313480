using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Model.Llama;

/// <summary>
/// The <see cref="FusedProjection"/> blocks one module holds while a <see cref="ProjectionFusion"/> session is open: one
/// per group of its projections (e.g. q/k/v and o). Empty outside a session.
/// </summary>
internal sealed class FusionSlots : IDisposable
{
    private FusedProjection?[]? _blocks;

    /// <summary>The block of group <paramref name="index"/>; null outside a session or where that group could not be fused.</summary>
    public FusedProjection? this[int index] => _blocks?[index];

    /// <summary>Fuses each group; false when a session already holds them or when no group can be fused (e.g. adapters).</summary>
    public bool Open(int threads, params IReadOnlyList<Module<Tensor, Tensor>>[] groups)
    {
        if (_blocks is not null) return false;
        var blocks = groups.Select(g => FusedProjection.Create(g, threads)).ToArray();
        if (blocks.All(b => b is null)) return false;
        _blocks = blocks;
        return true;
    }

    /// <summary>Drops the blocks.</summary>
    public void Dispose()
    {
        foreach (var block in _blocks ?? []) block?.Dispose();
        _blocks = null;
    }
}

using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// Jaccard overlap of two element sets given as bool (n,) masks: |A ∩ B| / |A ∪ B|. Two empty sets are the same set, so
/// their overlap is 1 (unlike <see cref="PartitionCounts.Jaccard"/>, which measures how much two systems share).
/// </summary>
public static class MaskJaccard
{
    /// <summary>J(<paramref name="a"/>, <paramref name="b"/>) ∈ [0, 1].</summary>
    public static double Of(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var union = a.logical_or(b).sum().item<long>();
        return union == 0 ? 1 : (double)a.logical_and(b).sum().item<long>() / union;
    }
}

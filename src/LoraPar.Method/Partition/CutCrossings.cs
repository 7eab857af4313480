using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// How many elements one estimator moves across the θ cut relative to another at equal counts: |A ∖ B| for two selected sets
/// A, B (bool (n,)) of equal size — each element that enters A's set pushes one of B's out, so |A ∖ B| = |B ∖ A|.
/// </summary>
public static class CutCrossings
{
    /// <summary>|<paramref name="a"/> ∖ <paramref name="b"/>|.</summary>
    public static long Count(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.logical_and(b.logical_not()).sum().item<long>();
    }
}

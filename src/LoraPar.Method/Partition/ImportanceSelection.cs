using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// Algorithm 1 of the paper over flat L2-normalised importance vectors s1, s2 (n,): S1 and S2 are the θ cuts
/// (<see cref="CumulativeCut"/>); Ω1-only = S1 ∖ S2, Ω2-only = S2 ∖ S1, shared = S1 ∩ S2. Stage 1 activates Ω1-only plus the
/// top ⌊α·|shared|⌋ shared elements by s1; stage 2 activates Ω2-only plus the top ⌊β·|shared|⌋ shared elements by s2.
/// Ranking ties go to the lower flat index, as in the cut.
/// </summary>
public static class ImportanceSelection
{
    /// <summary>The partition of Algorithm 1.</summary>
    public static PartitionSets Select(Tensor system1Scores, Tensor system2Scores, double theta, double alpha, double beta)
    {
        if (!system1Scores.shape.SequenceEqual(system2Scores.shape) || system1Scores.dim() != 1)
            throw new ArgumentException("both systems' scores must be flat vectors of the same length");
        using var scope = NewDisposeScope();
        var n = system1Scores.shape[0];
        var order1 = CumulativeCut.DescendingOrder(system1Scores);   // (n,)
        var order2 = CumulativeCut.DescendingOrder(system2Scores);   // (n,)
        var s1 = TopOf(order1, CumulativeCut.PrefixLength(CumulativeCut.CumulativeSums(system1Scores, order1), theta), n);
        var s2 = TopOf(order2, CumulativeCut.PrefixLength(CumulativeCut.CumulativeSums(system2Scores, order2), theta), n);
        var shared = s1.logical_and(s2);
        var sharedCount = shared.sum().item<long>();
        var stage1 = s1.logical_and(s2.logical_not()).logical_or(TopShared(order1, shared, ActivationFraction.Floor(alpha, sharedCount), n));
        var stage2 = s2.logical_and(s1.logical_not()).logical_or(TopShared(order2, shared, ActivationFraction.Floor(beta, sharedCount), n));
        return new PartitionSets(
            s1.MoveToOuterDisposeScope(), s2.MoveToOuterDisposeScope(),
            stage1.MoveToOuterDisposeScope(), stage2.MoveToOuterDisposeScope());
    }

    private static Tensor TopOf(Tensor order, long k, long n) => CumulativeCut.MaskOf(n, order.narrow(0, 0, k));

    /// <summary>The first <paramref name="take"/> shared elements in <paramref name="order"/> as a bool (n,) mask.</summary>
    private static Tensor TopShared(Tensor order, Tensor shared, long take, long n)
    {
        var sharedInOrder = order.masked_select(shared.index_select(0, order));   // (|shared|,) flat indices, ranked
        return CumulativeCut.MaskOf(n, sharedInOrder.narrow(0, 0, take));
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// Algorithm 1 of the paper over the two systems' rankings: S1 and S2 are the θ cuts (<see cref="CumulativeCut"/>);
/// Ω1-only = S1 ∖ S2, Ω2-only = S2 ∖ S1, shared = S1 ∩ S2. Stage 1 activates Ω1-only plus the top ⌊α·|shared|⌋ shared
/// elements by s1; stage 2 activates Ω2-only plus the top ⌊β·|shared|⌋ shared elements by s2. Ranking ties go to the
/// lower flat index, as in the cut.
/// </summary>
public static class ImportanceSelection
{
    /// <summary>The partition of Algorithm 1 for flat scores (n,) of both systems (normalised and sorted here).</summary>
    public static PartitionSets Select(Tensor system1Scores, Tensor system2Scores, double theta, double alpha, double beta)
    {
        using var ranking1 = ImportanceRanking.Of(system1Scores);
        using var ranking2 = ImportanceRanking.Of(system2Scores);
        return Select(ranking1, ranking2, theta, alpha, beta);
    }

    /// <summary>The partition of Algorithm 1 from both systems' rankings.</summary>
    public static PartitionSets Select(ImportanceRanking system1, ImportanceRanking system2, double theta, double alpha, double beta)
    {
        if (system1.Count != system2.Count)
            throw new ArgumentException("both systems must rank the same number of elements");
        using var scope = NewDisposeScope();
        return FromSets(system1.Select(theta), system2.Select(theta), system1.Order, system2.Order, alpha, beta);   // (n,) bool each
    }

    /// <summary>
    /// Algorithm 1 from given sets S1, S2 (bool (n,), taken over) and the descending orders (n,) that rank the shared set for
    /// α and β — the θ cut's own or another estimator's (<see cref="EqualCountSelection"/>).
    /// </summary>
    public static PartitionSets FromSets(Tensor s1, Tensor s2, Tensor order1, Tensor order2, double alpha, double beta)
    {
        using var scope = NewDisposeScope();
        var shared = s1.logical_and(s2);
        var sharedCount = shared.sum().item<long>();
        var stage1 = s1.logical_and(s2.logical_not()).logical_or(TopShared(order1, shared, ActivationFraction.Floor(alpha, sharedCount)));
        var stage2 = s2.logical_and(s1.logical_not()).logical_or(TopShared(order2, shared, ActivationFraction.Floor(beta, sharedCount)));
        return new PartitionSets(
            s1.MoveToOuterDisposeScope(), s2.MoveToOuterDisposeScope(),
            stage1.MoveToOuterDisposeScope(), stage2.MoveToOuterDisposeScope());
    }

    /// <summary>The first <paramref name="take"/> shared elements in <paramref name="order"/> as a bool (n,) mask.</summary>
    private static Tensor TopShared(Tensor order, Tensor shared, long take)
    {
        var sharedInOrder = order.masked_select(shared.index_select(0, order));   // (|shared|,) flat indices, ranked
        return CumulativeCut.MaskOf(order.shape[0], sharedInOrder.narrow(0, 0, take));
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>One point of the θ-curve: the share (%) of all LoRA elements in each set at cut θ.</summary>
/// <param name="Theta">The cut θ.</param>
/// <param name="System1Percent">|S1| / n · 100.</param>
/// <param name="System2Percent">|S2| / n · 100.</param>
/// <param name="SharedPercent">|S1 ∩ S2| / n · 100.</param>
/// <param name="Stage1Percent">Stage-1 active / n · 100 (Table 3's "%Param" for SFT).</param>
/// <param name="Stage2Percent">Stage-2 active / n · 100.</param>
public sealed record ThetaPoint(
    double Theta, double System1Percent, double System2Percent, double SharedPercent, double Stage1Percent, double Stage2Percent);

/// <summary>
/// % of LoRA elements active as a function of θ (paper Table 3 "%Param", Figure 5), computed from one pair of importance
/// vectors without re-scoring: each system is sorted once, and each θ needs only two prefix lengths and one overlap count.
/// The counts are those of the importance partition, which the random control reproduces exactly.
/// </summary>
public static class ThetaCurve
{
    /// <summary>θ = 0.1, 0.2, …, 1.0.</summary>
    public static IReadOnlyList<double> DefaultThetas { get; } = Enumerable.Range(1, 10).Select(i => i / 10.0).ToList();

    /// <summary>The curve over <paramref name="thetas"/> (default 0.1…1.0) for flat importance vectors (n,).</summary>
    public static IReadOnlyList<ThetaPoint> Compute(
        Tensor system1Scores, Tensor system2Scores, double alpha, double beta, IReadOnlyList<double>? thetas = null)
    {
        using var ranking1 = ImportanceRanking.Of(system1Scores);
        using var ranking2 = ImportanceRanking.Of(system2Scores);
        return Compute(ranking1, ranking2, alpha, beta, thetas);
    }

    /// <summary>The curve over <paramref name="thetas"/> (default 0.1…1.0) from both systems' rankings.</summary>
    public static IReadOnlyList<ThetaPoint> Compute(
        ImportanceRanking system1, ImportanceRanking system2, double alpha, double beta, IReadOnlyList<double>? thetas = null)
    {
        using var scope = NewDisposeScope();
        var n = system1.Count;
        var (rank1, rank2) = (system1.Ranks(), system2.Ranks());   // (n,) each
        var points = new List<ThetaPoint>();
        foreach (var theta in thetas ?? DefaultThetas)
        {
            using var inner = NewDisposeScope();
            var (k1, k2) = (system1.PrefixLength(theta), system2.PrefixLength(theta));
            using Scalar length1 = k1, length2 = k2;
            var shared = rank1.lt(length1).logical_and(rank2.lt(length2)).sum().item<long>();   // |S1 ∩ S2|
            var stage1 = k1 - shared + ActivationFraction.Floor(alpha, shared);
            var stage2 = k2 - shared + ActivationFraction.Floor(beta, shared);
            double Percent(long count) => 100.0 * count / n;
            points.Add(new ThetaPoint(theta, Percent(k1), Percent(k2), Percent(shared), Percent(stage1), Percent(stage2)));
        }
        return points;
    }
}

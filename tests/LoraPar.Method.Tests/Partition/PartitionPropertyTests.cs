using CsCheck;
using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Partition;

/// <summary>Algorithm 1's invariants on random scores with many ties and zeros, for the importance and random strategies.</summary>
public sealed class PartitionPropertyTests
{
    public PartitionPropertyTests() => TorchRuntime.EnsureInitialized();

    private sealed record Case(double[] S1, double[] S2, double Theta, double Alpha, double Beta, int Seed);

    private static readonly Gen<double> Fraction = Gen.OneOf(Gen.Const(0.0), Gen.Const(1.0), Gen.Double[0, 1]);

    private static readonly Gen<Case> Cases =
        from n in Gen.Int[1, 80]
        from s1 in Gen.Int[0, 4].Array[n]
        from s2 in Gen.Int[0, 4].Array[n]
        from theta in Gen.OneOf(Gen.Const(1.0), Gen.Double[0.01, 1])
        from alpha in Fraction
        from beta in Fraction
        from seed in Gen.Int[0, 1000]
        select new Case(Positive(s1), Positive(s2), theta, alpha, beta, seed);

    [Fact]
    public void Importance_partitions_keep_the_invariants_of_algorithm_1() =>
        Cases.Sample(c =>
        {
            using var scope = NewDisposeScope();
            using var sets = ImportanceSelection.Select(tensor(c.S1), tensor(c.S2), c.Theta, c.Alpha, c.Beta);
            AssertInvariants(sets, c.Alpha, c.Beta);
        }, iter: 200);

    [Fact]
    public void Random_controls_have_identical_counts_and_keep_the_invariants() =>
        Cases.Sample(c =>
        {
            using var scope = NewDisposeScope();
            using var reference = ImportanceSelection.Select(tensor(c.S1), tensor(c.S2), c.Theta, c.Alpha, c.Beta);
            var shared = reference.Counts.Shared;
            using var random = RandomControl.Select(reference.Counts, ActivationFraction.Floor(c.Alpha, shared),
                                                    ActivationFraction.Floor(c.Beta, shared), c.Seed);
            Assert.Equal(reference.Counts, random.Counts);
            AssertInvariants(random, c.Alpha, c.Beta);
        }, iter: 200);

    private static void AssertInvariants(PartitionSets sets, double alpha, double beta)
    {
        var c = sets.Counts;
        bool None(Tensor mask) => !mask.any().item<bool>();
        var (s1, s2, stage1, stage2) = (sets.System1, sets.System2, sets.Stage1, sets.Stage2);
        var shared = s1.logical_and(s2);
        Assert.Equal(c.System1, c.Omega1Only + c.Shared);
        Assert.Equal(c.System2, c.Omega2Only + c.Shared);
        Assert.True(c.Union <= c.Total);
        Assert.Equal(c.Omega1Only + ActivationFraction.Floor(alpha, c.Shared), c.Stage1);
        Assert.Equal(c.Omega2Only + ActivationFraction.Floor(beta, c.Shared), c.Stage2);
        Assert.True(None(stage1.logical_and(s1.logical_not())), "stage 1 ⊆ S1");
        Assert.True(None(stage2.logical_and(s2.logical_not())), "stage 2 ⊆ S2");
        Assert.True(None(stage1.logical_and(stage2).logical_and(shared.logical_not())), "stages disjoint outside the shared set");
        Assert.True(None(s1.logical_and(s2.logical_not()).logical_and(stage1.logical_not())), "Ω1-only all active in stage 1");
        Assert.True(None(s2.logical_and(s1.logical_not()).logical_and(stage2.logical_not())), "Ω2-only all active in stage 2");
        if (alpha == 1) Assert.True(None(shared.logical_and(stage1.logical_not())), "α = 1 activates every shared element");
        if (beta == 1) Assert.True(None(shared.logical_and(stage2.logical_not())), "β = 1 activates every shared element");
        if (alpha == 0) Assert.True(None(shared.logical_and(stage1)), "α = 0 activates no shared element");
        if (beta == 0) Assert.True(None(shared.logical_and(stage2)), "β = 0 activates no shared element");
    }

    private static double[] Positive(int[] scores)
    {
        var result = scores.Select(s => (double)s).ToArray();
        if (result.All(s => s == 0)) result[0] = 1;
        return result;
    }
}

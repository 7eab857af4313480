using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Partition;

public sealed class ThetaCurveTests
{
    public ThetaCurveTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Each_point_equals_a_full_partition_at_that_theta()
    {
        using var scope = NewDisposeScope();
        using var scores = SyntheticScores.Create(seed: 4);
        using var reference = DualSystemPartition.Create(scores, new PartitionOptions(0.9, 0.5, 0.25));
        var curve = ThetaCurve.Compute(reference.System1Scores, reference.System2Scores, 0.5, 0.25);
        Assert.Equal(ThetaCurve.DefaultThetas, curve.Select(p => p.Theta));
        foreach (var point in curve)
        {
            using var at = DualSystemPartition.Create(scores, new PartitionOptions(point.Theta, 0.5, 0.25));
            var c = at.Sets.Counts;
            double Pct(long count) => 100.0 * count / c.Total;
            Assert.Equal(
                (Pct(c.System1), Pct(c.System2), Pct(c.Shared), Pct(c.Stage1), Pct(c.Stage2)),
                (point.System1Percent, point.System2Percent, point.SharedPercent, point.Stage1Percent, point.Stage2Percent));
        }
    }

    [Fact]
    public void The_curve_grows_with_theta_and_keeps_every_non_zero_element_at_one()
    {
        using var scope = NewDisposeScope();
        var s1 = tensor(new double[] { 4, 3, 0, 2, 1, 0 });
        var s2 = tensor(new double[] { 0, 1, 2, 3, 4, 0 });
        var curve = ThetaCurve.Compute(s1, s2, 1, 1);
        for (var i = 1; i < curve.Count; i++)
            Assert.True(curve[i].Stage1Percent >= curve[i - 1].Stage1Percent && curve[i].Stage2Percent >= curve[i - 1].Stage2Percent);
        Assert.Equal(4 * 100.0 / 6, curve[^1].System1Percent);
        Assert.Equal(4 * 100.0 / 6, curve[^1].System2Percent);
        Assert.Equal(3 * 100.0 / 6, curve[^1].SharedPercent);   // {1, 3, 4}
    }
}

using LoraPar.Evaluation.Metrics;

namespace LoraPar.Evaluation.Tests.Metrics;

public sealed class ReplicateSpreadTests
{
    [Fact]
    public void Three_seeds_give_the_mean_with_students_t_interval()
    {
        var spread = ReplicateSpread.Of([36.0, 43.0, 40.0]);
        Assert.Equal(3, spread.Count);
        Assert.Equal(119.0 / 3, spread.Mean, 12);
        Assert.Equal(Math.Sqrt(37.0 / 3), spread.StandardDeviation, 12);    // Σ(x − x̄)² = 74/3 over n − 1 = 2
        // t₀.₉₇₅ with 2 degrees of freedom has the closed form (2p − 1)/√(2p(1 − p)) = 4.302653.
        var half = 0.95 / Math.Sqrt(2 * 0.975 * 0.025) * Math.Sqrt(37.0 / 3) / Math.Sqrt(3);
        Assert.Equal(119.0 / 3 - half, spread.Lower, 9);
        Assert.Equal(119.0 / 3 + half, spread.Upper, 9);
    }

    [Fact]
    public void One_replicate_has_no_interval()
    {
        var spread = ReplicateSpread.Of([40.0]);
        Assert.Equal(40.0, spread.Mean);
        Assert.True(double.IsNaN(spread.StandardDeviation) && double.IsNaN(spread.Lower) && double.IsNaN(spread.Upper));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplicateSpread.Of([]));
    }
}

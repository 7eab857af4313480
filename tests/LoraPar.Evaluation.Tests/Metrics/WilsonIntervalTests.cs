using LoraPar.Evaluation.Metrics;

namespace LoraPar.Evaluation.Tests.Metrics;

public sealed class WilsonIntervalTests
{
    // Hand-computed with z = 1.959964: for 5/10, centre 0.5, half-width 1.416003 · √(0.025 + 0.0096037) = 0.263407.
    [Theory]
    [InlineData(5, 10, 0.5, 0.236593, 0.763407)]
    [InlineData(0, 10, 0.0, 0.0, 0.277533)]
    [InlineData(10, 10, 1.0, 0.722467, 1.0)]
    [InlineData(1, 4, 0.25, 0.045587, 0.699358)]
    public void Matches_hand_computed_bounds(int successes, int trials, double estimate, double lower, double upper)
    {
        var p = WilsonInterval.Of(successes, trials);
        Assert.Equal(estimate, p.Estimate, 6);
        Assert.Equal(lower, p.Lower, 5);
        Assert.Equal(upper, p.Upper, 5);
    }

    [Fact]
    public void No_trials_gives_the_whole_unit_interval() =>
        Assert.Equal(new Proportion(0, 0, 0, 0, 1), WilsonInterval.Of(0, 0));

    [Fact]
    public void More_successes_than_trials_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Of(3, 2));
}

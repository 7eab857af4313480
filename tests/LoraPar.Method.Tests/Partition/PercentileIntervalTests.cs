using LoraPar.Method.Partition;

namespace LoraPar.Method.Tests.Partition;

public sealed class PercentileIntervalTests
{
    [Fact]
    public void Quantiles_interpolate_linearly_between_order_statistics()
    {
        // 50% interval of 1…5: quantiles 0.25 and 0.75 sit at positions 1 and 3 → 2 and 4.
        Assert.Equal(new Interval(3, 2, 4), PercentileInterval.Of([5, 1, 4, 2, 3], 0.5));
        // 95% of {0, 10}: positions 0.025 and 0.975 → 0.25 and 9.75.
        var wide = PercentileInterval.Of([10, 0]);
        Assert.Equal(0.25, wide.Low, 12);
        Assert.Equal(9.75, wide.High, 12);
        Assert.Equal(new Interval(7, 7, 7), PercentileInterval.Of([7]));
    }

    [Fact]
    public void Empty_samples_and_confidence_outside_zero_one_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => PercentileInterval.Of([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PercentileInterval.Of([1, 2], 1));
    }
}

using LoraPar.Evaluation.Metrics;

namespace LoraPar.Evaluation.Tests.Metrics;

public sealed class PassAtKTests
{
    // 1 − C(n−c, k)/C(n, k) by hand: C(7,5)/C(10,5) = 21/252; C(18,10)/C(20,10) = 43758/184756 = 90/380.
    [Theory]
    [InlineData(10, 3, 1, 0.3)]
    [InlineData(10, 3, 5, 1 - 21.0 / 252)]
    [InlineData(20, 2, 10, 1 - 90.0 / 380)]
    [InlineData(5, 0, 1, 0.0)]
    [InlineData(5, 4, 2, 1.0)]
    [InlineData(10, 1, 10, 1.0)]
    [InlineData(1, 1, 1, 1.0)]
    public void Matches_the_binomial_formula(int n, int c, int k, double expected) =>
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 12);

    [Fact]
    public void Large_n_stays_finite_where_binomials_overflow()
    {
        // C(200, 100) overflows double; the product form does not. With n = 200, c = 100, k = 100 the estimate is ~1.
        var estimate = PassAtK.Estimate(200, 100, 100);
        Assert.InRange(estimate, 0.999999, 1.0);
    }

    [Fact]
    public void K_above_n_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(5, 1, 10));

    [Fact]
    public void Mean_reports_only_ks_that_every_problem_supports()
    {
        var mean = PassAtK.Mean([(10, 3), (10, 0)], PassAtK.StandardKs);
        Assert.Equal([1, 10], mean.Keys);
        Assert.Equal(0.15, mean[1], 12);
        Assert.Equal(0.5, mean[10], 12);
    }
}

using LoraPar.Evaluation.Metrics;

namespace LoraPar.Evaluation.Tests.Metrics;

public sealed class StratifiedMcNemarTests
{
    [Fact]
    public void Three_seeds_pool_their_discordant_pairs_into_one_exact_test()
    {
        // Seeds (gained, lost) = (5, 1), (3, 2), (4, 0): Σ 12 / 3 of 15 discordant pairs.
        var test = StratifiedMcNemar.Of([new PairedChange(5, 1, 0), new PairedChange(3, 2, 0), new PairedChange(4, 0, 0)]);
        Assert.Equal((3, 12, 3), (test.Strata, test.Gained, test.Lost));
        // 2 · P(X ≤ 3), X ~ Binomial(15, ½) = 2 · (1 + 15 + 105 + 455) / 2^15, by hand.
        Assert.Equal(2.0 * 576 / 32768, test.PValue, 12);
        Assert.Equal(81.0 / 15, test.ChiSquare, 12);                       // (12 − 3)² / 15
        Assert.Equal(4.0, test.OddsRatio, 12);                              // 12 / 3
        // Wilson 95% for 12/15: centre (0.8 + z²/30)/(1 + z²/15), half z/(1 + z²/15)·√(0.8·0.2/15 + z²/900) = 0.548146 – 0.929525
        // (worked in Python), so the odds p/(1 − p) run 1.21310 – 13.1893.
        Assert.Equal(1.21310, test.OddsLower, 4);
        Assert.Equal(13.1893, test.OddsUpper, 3);
        Assert.True(test.OddsLower > 1, "the interval excludes no effect, as p < 0.05 does");
    }

    [Fact]
    public void Strata_that_cancel_give_no_evidence_and_nothing_discordant_gives_p_one()
    {
        var cancel = StratifiedMcNemar.Of([new PairedChange(6, 0, 0.03), new PairedChange(0, 6, 0.03)]);
        Assert.Equal((1.0, 0.0, 1.0), (cancel.PValue, cancel.ChiSquare, cancel.OddsRatio));
        var none = StratifiedMcNemar.Of([new PairedChange(0, 0, 1), new PairedChange(0, 0, 1)]);
        Assert.Equal(1.0, none.PValue);
        Assert.True(double.IsNaN(none.OddsRatio));
        var allGained = StratifiedMcNemar.Of([new PairedChange(4, 0, 0)]);
        Assert.True(double.IsPositiveInfinity(allGained.OddsRatio) && double.IsPositiveInfinity(allGained.OddsUpper));
    }
}

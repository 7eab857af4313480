using LoraPar.Evaluation.Metrics;

namespace LoraPar.Evaluation.Tests.Metrics;

public sealed class PairedChangeTests
{
    [Theory]
    // 2·Σ_{k≤3} C(10,k) / 2^10 = 2·176/1024
    [InlineData(7, 3, 0.34375)]
    // 2·Σ_{k≤4} C(16,k) / 2^16 = 2·2517/65536
    [InlineData(12, 4, 0.0768127441)]
    [InlineData(4, 12, 0.0768127441)]
    // 2·(1/2^6) = 1/32
    [InlineData(6, 0, 0.03125)]
    [InlineData(5, 5, 1.0)]
    [InlineData(0, 0, 1.0)]
    public void Exact_p_value_is_the_two_sided_binomial_tail_of_the_discordant_pairs(int gained, int lost, double expected) =>
        Assert.Equal(expected, PairedChange.ExactPValue(gained, lost), 9);

    [Fact]
    public void Large_counts_do_not_underflow()
    {
        var p = PairedChange.ExactPValue(600, 500);                  // n = 1100: 2^-1100 alone underflows a double
        Assert.InRange(p, 0.001, 0.01);                              // normal approximation: z = 100/√1100 ≈ 3.0 → p ≈ 0.0026
        Assert.Equal(1.0, PairedChange.ExactPValue(550, 550));
    }

    [Fact]
    public void Counts_only_questions_graded_at_both_points_that_changed()
    {
        var before = new Dictionary<string, bool> { ["a"] = false, ["b"] = true, ["c"] = true, ["d"] = false, ["e"] = false };
        var after = new Dictionary<string, bool> { ["a"] = true, ["b"] = false, ["c"] = true, ["d"] = true, ["x"] = true };
        var change = PairedChange.Of(before, after);
        Assert.Equal(2, change.Gained);                                  // a, d
        Assert.Equal(1, change.Lost);                                    // b
        Assert.Equal(1.0, change.PValue);                                // 2·(1 + 3)/8 capped
    }
}

using LoraPar.Evaluation.Metrics;

namespace LoraPar.Evaluation.Tests.Metrics;

public sealed class PairedSampleSizeTests
{
    // Connor (1987), n = (z₀.₉₇₅ √ψ + z₀.₈ √(ψ − δ²))² / δ², worked with z₀.₉₇₅ = 1.959964 and z₀.₈ = 0.841621 (Python's
    // statistics.NormalDist().inv_cdf): ψ 0.2, δ 0.05 → 625.55; ψ 0.3, δ 0.1 → 233.09; ψ 0.1, δ 0.02 → 1959.86; ψ 0.4, δ 0.2 → 76.09.
    [Theory]
    [InlineData(0.05, 0.2, 626)]
    [InlineData(0.1, 0.3, 234)]
    [InlineData(-0.02, 0.1, 1960)]
    [InlineData(0.2, 0.4, 77)]
    public void Connors_formula_gives_the_questions_needed_at_80_percent_power(double difference, double discordant, int expected) =>
        Assert.Equal(expected, PairedSampleSize.Questions(difference, discordant));

    [Fact]
    public void More_discordance_or_a_smaller_difference_needs_more_questions_and_impossible_inputs_are_refused()
    {
        Assert.True(PairedSampleSize.Questions(0.05, 0.3) > PairedSampleSize.Questions(0.05, 0.2));
        Assert.True(PairedSampleSize.Questions(0.03, 0.2) > PairedSampleSize.Questions(0.05, 0.2));
        Assert.True(PairedSampleSize.Questions(0.05, 0.2, power: 0.9) > PairedSampleSize.Questions(0.05, 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedSampleSize.Questions(0, 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedSampleSize.Questions(0.3, 0.2));   // more difference than discordance
    }
}

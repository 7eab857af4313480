using MathNet.Numerics.Distributions;

namespace LoraPar.Evaluation.Metrics;

/// <summary>
/// How many questions a paired comparison (McNemar's test, two evaluations of the same questions) needs to detect a
/// difference in accuracy, by Connor's (1987) formula: n = (z₁₋α/₂ √ψ + z₁₋β √(ψ − δ²))² / δ², where δ is the difference in
/// accuracy (a fraction) and ψ the share of questions the two evaluations answer differently (the discordant share, at least
/// |δ|). A larger ψ means more noise per question, so the same δ needs more questions.
/// </summary>
public static class PairedSampleSize
{
    /// <summary>
    /// The questions needed for a two-sided test at <paramref name="level"/> to detect <paramref name="difference"/> with
    /// <paramref name="power"/>, given the discordant share <paramref name="discordant"/> (pure).
    /// </summary>
    public static int Questions(double difference, double discordant, double power = 0.8, double level = 0.05)
    {
        var delta = Math.Abs(difference);
        if (!(delta > 0 && delta <= 1)) throw new ArgumentOutOfRangeException(nameof(difference), $"{difference} must lie in (0, 1] in absolute value");
        if (!(discordant >= delta && discordant <= 1))
            throw new ArgumentOutOfRangeException(nameof(discordant), $"{discordant} must lie in [|difference|, 1]: a difference of {delta} needs at least that share of discordant questions");
        if (!(power > 0 && power < 1)) throw new ArgumentOutOfRangeException(nameof(power));
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level));
        var za = Normal.InvCDF(0, 1, 1 - level / 2);
        var zb = Normal.InvCDF(0, 1, power);
        var root = za * Math.Sqrt(discordant) + zb * Math.Sqrt(discordant - delta * delta);
        return (int)Math.Ceiling(root * root / (delta * delta) - 1e-9);
    }
}

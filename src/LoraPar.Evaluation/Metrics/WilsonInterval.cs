namespace LoraPar.Evaluation.Metrics;

/// <summary>A proportion with its Wilson score confidence interval.</summary>
/// <param name="Successes">Number of successes.</param>
/// <param name="Trials">Number of trials.</param>
/// <param name="Estimate">Successes / trials (0 when there are no trials).</param>
/// <param name="Lower">Lower bound of the interval.</param>
/// <param name="Upper">Upper bound of the interval.</param>
public sealed record Proportion(int Successes, int Trials, double Estimate, double Lower, double Upper);

/// <summary>
/// The Wilson score interval for a binomial proportion: centre (p + z²/2n)/(1 + z²/n), half-width
/// z/(1 + z²/n)·√(p(1−p)/n + z²/4n²). Unlike the normal approximation it stays inside [0, 1] and is sensible at p = 0 or 1.
/// </summary>
public static class WilsonInterval
{
    /// <summary>The two-sided 95% normal quantile, Φ⁻¹(0.975).</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The proportion successes/trials with its Wilson interval at quantile <paramref name="z"/> (default 95%).</summary>
    public static Proportion Of(int successes, int trials, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), $"successes {successes} must lie in [0, {trials}]");
        if (trials == 0) return new Proportion(0, 0, 0, 0, 1);
        double n = trials, p = successes / n, z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new Proportion(successes, trials, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}

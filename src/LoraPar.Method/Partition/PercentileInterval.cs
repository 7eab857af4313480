namespace LoraPar.Method.Partition;

/// <summary>A mean with a percentile interval.</summary>
/// <param name="Mean">Mean of the values.</param>
/// <param name="Low">Lower percentile (2.5% for a 95% interval).</param>
/// <param name="High">Upper percentile (97.5%).</param>
public sealed record Interval(double Mean, double Low, double High);

/// <summary>
/// The percentile interval of a sample (e.g. bootstrap replicates): the (1 − c)/2 and (1 + c)/2 quantiles with linear
/// interpolation between order statistics (position q·(m − 1), numpy's default), and the mean.
/// </summary>
public static class PercentileInterval
{
    /// <summary>The interval of <paramref name="values"/> at confidence <paramref name="confidence"/> (0.95 by default).</summary>
    public static Interval Of(IReadOnlyList<double> values, double confidence = 0.95)
    {
        if (values.Count == 0) throw new ArgumentException("an interval needs at least one value", nameof(values));
        if (confidence is not (> 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must be in (0, 1)");
        var sorted = values.Order().ToArray();
        return new Interval(sorted.Average(), Quantile(sorted, (1 - confidence) / 2), Quantile(sorted, (1 + confidence) / 2));
    }

    /// <summary>The <paramref name="q"/> quantile of ascending <paramref name="sorted"/> values, linearly interpolated.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

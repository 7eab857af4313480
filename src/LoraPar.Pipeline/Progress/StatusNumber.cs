using System.Globalization;

namespace LoraPar.Pipeline.Progress;

/// <summary>
/// A figure in a progress status (loss, learning rate, reward): up to three decimals between 0.01 and 100,000, and scientific
/// notation outside, so a loss of 1e-7 reads <c>1e-7</c> rather than <c>0.000</c> (pure).
/// </summary>
public static class StatusNumber
{
    /// <summary>The figure as shown, e.g. <c>1.235</c>, <c>0.05</c>, <c>2e-4</c>, <c>1.23e-7</c>, <c>3.2e+6</c>.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        var magnitude = Math.Abs(value);
        if (magnitude == 0 || (magnitude >= 0.01 && magnitude < 1e5)) return value.ToString("0.###", CultureInfo.InvariantCulture);
        return value.ToString("0.##e+0", CultureInfo.InvariantCulture);
    }
}

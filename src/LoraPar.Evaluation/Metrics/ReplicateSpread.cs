using MathNet.Numerics.Distributions;

namespace LoraPar.Evaluation.Metrics;

/// <summary>
/// One metric over replicate runs (e.g. the seeds of a sweep): the mean, the sample standard deviation and the mean's 95%
/// interval from Student's t with n − 1 degrees of freedom (mean ± t₀.₉₇₅ · s / √n). With one replicate the spread and the
/// interval are NaN: a single run says nothing about its own noise.
/// </summary>
public sealed record ReplicateSpread(int Count, double Mean, double StandardDeviation, double Lower, double Upper)
{
    /// <summary>The spread of <paramref name="values"/> (pure; at least one value).</summary>
    public static ReplicateSpread Of(IReadOnlyList<double> values)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var n = values.Count;
        var mean = values.Average();
        if (n == 1) return new ReplicateSpread(1, mean, double.NaN, double.NaN, double.NaN);
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var half = StudentT.InvCDF(0, 1, n - 1, 0.975) * sd / Math.Sqrt(n);
        return new ReplicateSpread(n, mean, sd, mean - half, mean + half);
    }
}

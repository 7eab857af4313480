namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// TensorBoard's scalar smoothing: an exponential moving average with weight w, debiased by 1 − w^(i+1) so the first points
/// are not pulled towards zero (pure).
/// </summary>
public static class CurveSmoothing
{
    /// <summary>TensorBoard's default weight.</summary>
    public const double DefaultWeight = 0.6;

    /// <summary>The smoothed series: s_i = m_i / (1 − w^(i+1)) with m_i = w·m_(i−1) + (1 − w)·v_i, m_(−1) = 0.</summary>
    public static double[] Ema(IReadOnlyList<double> values, double weight = DefaultWeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(weight, 1.0);
        var smoothed = new double[values.Count];
        var (moving, decay) = (0.0, 1.0);
        for (var i = 0; i < values.Count; i++)
        {
            moving = weight * moving + (1 - weight) * values[i];
            decay *= weight;
            smoothed[i] = moving / (1 - decay);
        }
        return smoothed;
    }
}

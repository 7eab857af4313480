namespace LoraPar.Training.Schedules;

/// <summary>
/// Linear warm-up then cosine decay, as Hugging Face's <c>get_cosine_schedule_with_warmup</c> (the authors' "cosine"
/// scheduler with <c>warmup_ratio</c>) with an optional floor. With W warm-up steps and S total steps, at step s:
/// <code>
/// s &lt; W:      lr = peak · s / W
/// W ≤ s ≤ S:  lr = min + (peak − min) · ½ (1 + cos(π · (s − W) / max(1, S − W)))
/// s &gt; S:      lr = min
/// </code>
/// W = ⌈warmupRatio · S⌉ as Hugging Face's <c>TrainingArguments.get_warmup_steps</c> (computed so that a product such
/// as 0.07 · 100 = 7.000000000000001 still gives 7). Step 0 has lr 0 when W &gt; 0; the last step S reaches <c>min</c>.
/// </summary>
/// <param name="PeakLearningRate">The learning rate at the end of warm-up.</param>
/// <param name="TotalSteps">Optimizer steps of the whole run (S).</param>
/// <param name="WarmupRatio">Fraction of <paramref name="TotalSteps"/> spent warming up (the authors: 0.03 for SFT, 0.1 for GRPO).</param>
/// <param name="MinLearningRate">The floor the cosine decays to (0 by default).</param>
public sealed record WarmupCosineSchedule(double PeakLearningRate, int TotalSteps, double WarmupRatio, double MinLearningRate = 0.0)
{
    /// <summary>W: the number of warm-up steps.</summary>
    public int WarmupSteps => WarmupStepsFor(TotalSteps, WarmupRatio);

    /// <summary>The learning rate to use for optimizer step <paramref name="step"/> (0-based).</summary>
    public double LearningRateAt(int step) => LearningRate(step, PeakLearningRate, TotalSteps, WarmupRatio, MinLearningRate);

    /// <summary>⌈ratio · total⌉, tolerant of floating-point noise in the product.</summary>
    public static int WarmupStepsFor(int totalSteps, double warmupRatio)
    {
        Validate(totalSteps, warmupRatio);
        return (int)Math.Ceiling(warmupRatio * totalSteps - 1e-9);
    }

    /// <summary>The schedule as a pure function (formula on <see cref="WarmupCosineSchedule"/>).</summary>
    public static double LearningRate(int step, double peak, int totalSteps, double warmupRatio, double min = 0.0)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "the step must be non-negative");
        var warmup = WarmupStepsFor(totalSteps, warmupRatio);
        if (step < warmup) return peak * step / warmup;
        if (step >= totalSteps) return min;
        var progress = (double)(step - warmup) / Math.Max(1, totalSteps - warmup);
        return min + (peak - min) * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
    }

    private static void Validate(int totalSteps, double warmupRatio)
    {
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "a schedule needs at least one step");
        if (!(warmupRatio >= 0 && warmupRatio <= 1)) throw new ArgumentOutOfRangeException(nameof(warmupRatio), warmupRatio, "the warm-up ratio must lie in [0, 1]");
    }
}

using System.Diagnostics;
using LoraPar.Training.Monitoring;

namespace LoraPar.Training.Grpo;

/// <summary>One GRPO optimizer step, as recorded in <see cref="GrpoResult.History"/>.</summary>
/// <param name="Step">Optimizer steps completed (1-based).</param>
/// <param name="Rollout">The rollout the step trained on (0-based; with μ &gt; 1 several steps share one).</param>
/// <param name="Loss">The step's GRPO loss.</param>
/// <param name="GradNorm">Active gradient norm before clipping.</param>
/// <param name="LearningRate">The learning rate used.</param>
/// <param name="Kl">Mean k3 against the reference over the completion tokens (0 when β = 0).</param>
/// <param name="ClipFraction">Share of completion tokens whose clipped term was active.</param>
/// <param name="MeanRatio">Mean ratio π_θ / π_old over the completion tokens (1 on a rollout's first step without dropout).</param>
/// <param name="Sampled">The rollout's statistics when this step sampled it, else null.</param>
/// <param name="GenerationSeconds">Generation and reward time of the rollout sampled at this step (0 otherwise).</param>
/// <param name="ReferenceSeconds">Old and reference log-prob time of the rollout sampled at this step (0 otherwise).</param>
/// <param name="UpdateSeconds">Forward, backward and optimizer time.</param>
public sealed record GrpoStepRecord(int Step, int Rollout, double Loss, double GradNorm, double LearningRate, double Kl, double ClipFraction,
    double MeanRatio, RolloutSummary? Sampled, double GenerationSeconds, double ReferenceSeconds, double UpdateSeconds);

/// <summary>
/// The names of the GRPO figures in <see cref="StepLog.Extra"/> (averages over the steps, or rollouts, since the last log).
/// <see cref="StepLog.Loss"/> is the GRPO loss, <see cref="StepLog.TokensPerSecond"/> counts sampled completion tokens.
/// </summary>
public static class GrpoMetrics
{
    /// <summary>Mean summed reward.</summary>
    public const string Reward = "reward";

    /// <summary>Standard deviation of the summed reward within a rollout.</summary>
    public const string RewardStd = "reward_std";

    /// <summary>Share of completions with a positive correctness reward (absent when no function judges correctness).</summary>
    public const string Accuracy = "accuracy";

    /// <summary>Mean k3 KL against the reference (absent when β = 0).</summary>
    public const string Kl = "kl";

    /// <summary>Share of completion tokens whose clipped term was active.</summary>
    public const string ClipFraction = "clip_fraction";

    /// <summary>Mean ratio π_θ / π_old.</summary>
    public const string Ratio = "ratio";

    /// <summary>Mean completion length in tokens.</summary>
    public const string CompletionLength = "completion_length";

    /// <summary>Share of completions cut at the maximum length.</summary>
    public const string TruncatedFraction = "truncated_fraction";

    /// <summary>Share of groups whose rewards were all equal.</summary>
    public const string ZeroStdFraction = "zero_std_fraction";

    /// <summary>Completions sampled per second of wall time.</summary>
    public const string CompletionsPerSecond = "completions_per_s";

    /// <summary>Mean of reward function <paramref name="name"/>'s own value, e.g. <c>rewards/correctness/mean</c>.</summary>
    public static string RewardMean(string name) => $"rewards/{name}/mean";

    /// <summary>Standard deviation of reward function <paramref name="name"/>'s own value.</summary>
    public static string RewardStdOf(string name) => $"rewards/{name}/std";
}

/// <summary>Accumulates GRPO steps between two logs into one <see cref="StepLog"/>.</summary>
internal sealed class GrpoLogWindow(bool logKl)
{
    private readonly LogWindow window = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Dictionary<string, double> rolloutSums = [];
    private double kl, clip, ratio;
    private int steps, rollouts, completions;

    /// <summary>Adds one step and, when it sampled one, its rollout.</summary>
    public void Add(GrpoStepOutcome outcome, RolloutSummary? sampled)
    {
        window.Add(outcome.Loss, sampled?.CompletionTokens ?? 0);
        kl += outcome.Kl;
        clip += outcome.ClipFraction;
        ratio += outcome.MeanRatio;
        steps++;
        if (sampled is null) return;
        rollouts++;
        completions += sampled.Completions;
        foreach (var (key, value) in Figures(sampled)) rolloutSums[key] = rolloutSums.GetValueOrDefault(key) + value;
    }

    /// <summary>The log of the window, which then starts afresh.</summary>
    public StepLog Flush(int step, int totalSteps, int epoch, double learningRate, double gradNorm)
    {
        var extra = new Dictionary<string, double>();
        foreach (var (key, sum) in rolloutSums) extra[key] = sum / Math.Max(1, rollouts);
        if (steps > 0)
        {
            if (logKl) extra[GrpoMetrics.Kl] = kl / steps;
            extra[GrpoMetrics.ClipFraction] = clip / steps;
            extra[GrpoMetrics.Ratio] = ratio / steps;
        }
        extra[GrpoMetrics.CompletionsPerSecond] = completions / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        var log = window.Flush(GrpoTrainer.StageName, step, totalSteps, epoch, learningRate, gradNorm, extra);
        rolloutSums.Clear();
        (kl, clip, ratio, steps, rollouts, completions) = (0, 0, 0, 0, 0, 0);
        clock.Restart();
        return log;
    }

    private static IEnumerable<(string Key, double Value)> Figures(RolloutSummary s)
    {
        yield return (GrpoMetrics.Reward, s.Total.Mean);
        yield return (GrpoMetrics.RewardStd, s.Total.Std);
        foreach (var (name, stats) in s.PerFunction)
        {
            yield return (GrpoMetrics.RewardMean(name), stats.Mean);
            yield return (GrpoMetrics.RewardStdOf(name), stats.Std);
        }
        if (s.Accuracy is { } accuracy) yield return (GrpoMetrics.Accuracy, accuracy);
        yield return (GrpoMetrics.CompletionLength, s.MeanCompletionLength);
        yield return (GrpoMetrics.TruncatedFraction, s.TruncatedFraction);
        yield return (GrpoMetrics.ZeroStdFraction, s.ZeroStdFraction);
    }
}

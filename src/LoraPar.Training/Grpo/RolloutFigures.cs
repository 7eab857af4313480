namespace LoraPar.Training.Grpo;

/// <summary>
/// What a GRPO stage's result keeps of one rollout: its mean summed reward and accuracy. The first and the last rollout's
/// figures travel in checkpoints (<see cref="Checkpointing.TrainerState.Metrics"/>), so a stage resumed at any step —
/// the last included — reports the figures an uninterrupted run does.
/// </summary>
/// <param name="Reward">Mean summed reward.</param>
/// <param name="Accuracy">Share of completions with a positive correctness reward (null when no function judges correctness).</param>
public sealed record RolloutFigures(double Reward, double? Accuracy)
{
    /// <summary>The checkpoint-metric suffix of the first rollout.</summary>
    public const string First = "first";

    /// <summary>The checkpoint-metric suffix of the last rollout.</summary>
    public const string Last = "last";

    /// <summary>The figures of <paramref name="summary"/>.</summary>
    public static RolloutFigures Of(RolloutSummary summary) => new(summary.Total.Mean, summary.Accuracy);

    /// <summary>Writes the figures into checkpoint metrics as <c>rollout_reward_{which}</c> and <c>rollout_accuracy_{which}</c>.</summary>
    public void Save(IDictionary<string, double> metrics, string which)
    {
        metrics[RewardKey(which)] = Reward;
        if (Accuracy is { } accuracy) metrics[AccuracyKey(which)] = accuracy;
    }

    /// <summary>The figures <see cref="Save"/> wrote under <paramref name="which"/>, or null when <paramref name="metrics"/> has none.</summary>
    public static RolloutFigures? Restore(IReadOnlyDictionary<string, double>? metrics, string which) =>
        metrics is not null && metrics.TryGetValue(RewardKey(which), out var reward)
            ? new RolloutFigures(reward, metrics.TryGetValue(AccuracyKey(which), out var accuracy) ? accuracy : null)
            : null;

    private static string RewardKey(string which) => $"rollout_reward_{which}";

    private static string AccuracyKey(string which) => $"rollout_accuracy_{which}";
}

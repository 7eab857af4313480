using LoraPar.Pipeline.Stages;
using LoraPar.Training.Grpo;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// One training curve the report draws: which stage's <c>training_log.jsonl</c> it reads, which figure of each line, and how the
/// PNG is named and labelled. <see cref="All"/> holds the SFT loss, the GRPO reward mean and the GRPO KL.
/// </summary>
/// <param name="FileName">The PNG's file name beside report.md.</param>
/// <param name="Stage">The training stage whose log it reads (<see cref="StageKinds.Sft"/> or <see cref="StageKinds.Rl"/>).</param>
/// <param name="Title">The figure's title and caption.</param>
/// <param name="YLabel">The y-axis label.</param>
/// <param name="Value">The figure of one log line, or null when the line lacks it (e.g. no KL when β = 0).</param>
public sealed record TrainingCurveKind(string FileName, string Stage, string Title, string YLabel, Func<TrainingLogEntry, double?> Value)
{
    /// <summary>SFT: the answer-token loss per step.</summary>
    public static TrainingCurveKind SftLoss { get; } = new("training_sft_loss.png", StageKinds.Sft, "SFT loss", "answer-token cross-entropy", e => e.Loss);

    /// <summary>GRPO: the mean summed reward of the rollouts per step.</summary>
    public static TrainingCurveKind GrpoReward { get; } =
        new("training_rl_reward.png", StageKinds.Rl, "GRPO reward mean", "mean summed reward", e => Extra(e, GrpoMetrics.Reward));

    /// <summary>GRPO: the mean k3 KL against the reference model per step.</summary>
    public static TrainingCurveKind GrpoKl { get; } =
        new("training_rl_kl.png", StageKinds.Rl, "GRPO KL to the reference", "mean k3 KL", e => Extra(e, GrpoMetrics.Kl));

    /// <summary>The trainer's name on the step axis: "SFT" or "GRPO".</summary>
    public string StageName => Stage == StageKinds.Sft ? "SFT" : "GRPO";

    /// <summary>Every curve, in report order.</summary>
    public static IReadOnlyList<TrainingCurveKind> All { get; } = [SftLoss, GrpoReward, GrpoKl];

    /// <summary>The (step, value) points of <paramref name="log"/>, in log order, skipping lines without the figure (pure).</summary>
    public (double[] Steps, double[] Values) Series(IReadOnlyList<TrainingLogEntry> log)
    {
        var points = log.Select(e => (Step: (double)e.Step, Value: Value(e))).Where(p => p.Value is { } v && double.IsFinite(v)).ToList();
        return (points.Select(p => p.Step).ToArray(), points.Select(p => p.Value!.Value).ToArray());
    }

    private static double? Extra(TrainingLogEntry entry, string name) => entry.Extra.TryGetValue(name, out var v) ? v : null;
}

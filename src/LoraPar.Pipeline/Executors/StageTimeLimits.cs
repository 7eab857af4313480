using LoraPar.Core.Settings;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Executors;

/// <summary>
/// Slurm time limits per stage kind (<c>[executor.time]</c>, seconds): a stage's own limit, else <see cref="Default"/>; zero
/// means none given (the partition's default limit applies).
/// </summary>
public sealed record StageTimeLimits : ISettings
{
    /// <summary>The limit of every stage without one of its own.</summary>
    public TimeSpan Default { get; init; }

    /// <summary>Tiny base-model pretraining.</summary>
    public TimeSpan Pretrain { get; init; }

    /// <summary>Loading the corpus.</summary>
    public TimeSpan Data { get; init; }

    /// <summary>The teachers' votes.</summary>
    public TimeSpan Labels { get; init; }

    /// <summary>Importance scoring.</summary>
    public TimeSpan Scores { get; init; }

    /// <summary>The partition into masks.</summary>
    public TimeSpan Masks { get; init; }

    /// <summary>Stage 1 (SFT).</summary>
    public TimeSpan Sft { get; init; }

    /// <summary>Stage 2 (GRPO).</summary>
    public TimeSpan Rl { get; init; }

    /// <summary>Evaluation of the base model.</summary>
    public TimeSpan EvalBase { get; init; }

    /// <summary>Evaluation.</summary>
    public TimeSpan Eval { get; init; }

    /// <summary>The report.</summary>
    public TimeSpan Report { get; init; }

    /// <summary>The limit of <paramref name="kind"/>, or null when neither it nor <see cref="Default"/> sets one.</summary>
    public TimeSpan? For(string kind)
    {
        var own = kind switch
        {
            StageKinds.Pretrain => Pretrain, StageKinds.Data => Data, StageKinds.Labels => Labels, StageKinds.Scores => Scores,
            StageKinds.Masks => Masks, StageKinds.Sft => Sft, StageKinds.Rl => Rl, StageKinds.EvalBase => EvalBase,
            StageKinds.Eval => Eval, StageKinds.Report => Report, _ => TimeSpan.Zero,
        };
        var limit = own > TimeSpan.Zero ? own : Default;
        return limit > TimeSpan.Zero ? limit : null;
    }

    /// <summary>Every limit given, by its key.</summary>
    public IEnumerable<(string Key, TimeSpan Limit)> Given() =>
        Values().Zip(Keys).Where(p => p.First > TimeSpan.Zero).Select(p => (p.Second, p.First));

    private TimeSpan[] Values() => [Default, Pretrain, Data, Labels, Scores, Masks, Sft, Rl, EvalBase, Eval, Report];

    private static readonly string[] Keys =
    [
        "default_seconds", "pretrain_seconds", "data_seconds", "labels_seconds", "scores_seconds", "masks_seconds", "sft_seconds",
        "rl_seconds", "eval_base_seconds", "eval_seconds", "report_seconds",
    ];

    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>();
        foreach (var (limit, key) in Values().Zip(Keys))
            p.Require(limit >= TimeSpan.Zero && limit.TotalSeconds % 1 == 0, key, $"{limit.TotalSeconds}; it must be a whole number of seconds, 0 or more");
        return p;
    }
}

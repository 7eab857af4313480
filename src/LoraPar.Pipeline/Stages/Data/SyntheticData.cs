using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Synthetic;

namespace LoraPar.Pipeline.Stages.Data;

/// <summary>
/// The built-in dual-system task as data-stage rows: <see cref="DualSystemTaskGenerator"/> with the manifest's seed and
/// per-system sizes, each item laid out GSM8K style (<see cref="TaskPrompt"/>), its generator system kept as ground truth.
/// </summary>
public static class SyntheticData
{
    /// <summary>The generator configuration a manifest asks for.</summary>
    public static DualSystemTaskConfig ConfigOf(PipelineManifest manifest) => new()
    {
        Seed = manifest.Seed,
        System1 = new SplitSizes(manifest.Data.SyntheticTrainSize, manifest.Data.SyntheticEvalSize),
        System2 = new SplitSizes(manifest.Data.SyntheticTrainSize, manifest.Data.SyntheticEvalSize),
        Ranges = RangesOf(manifest.Data.SyntheticRanges),
    };

    /// <summary>The generator's operation ranges for <c>[data.synthetic_ranges]</c>.</summary>
    public static OperationRanges RangesOf(SyntheticRanges ranges)
    {
        var defaults = new OperationRanges();
        return new OperationRanges
        {
            Addend = defaults.Addend with { Max = ranges.AddendMax },
            Factor = defaults.Factor with { Max = ranges.FactorMax },
            Count = defaults.Count with { Max = ranges.CountMax },
            Compared = defaults.Compared with { Max = ranges.ComparedMax },
            MaxValue = ranges.MaxValue,
        };
    }

    /// <summary>Generates the task: (train, eval) rows, each split interleaving both systems.</summary>
    public static (IReadOnlyList<DatasetRow> Train, IReadOnlyList<DatasetRow> Eval) Generate(PipelineManifest manifest)
    {
        var task = DualSystemTaskGenerator.Generate(ConfigOf(manifest));
        return (task.Train.Select(ToRow).ToList(), task.Eval.Select(ToRow).ToList());
    }

    /// <summary>One item as a row: GSM8K prompt and completion, final answer as gold, ground-truth system, kind as metadata.</summary>
    public static DatasetRow ToRow(DualSystemItem item) => new(
        item.Id,
        item.Question,
        item.Answer,
        TaskPrompt.Prompt(item.Question, PromptStyle.Gsm8k),
        TaskPrompt.Completion(item, PromptStyle.Gsm8k),
        item.FinalAnswer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        (int)item.System,
        Metadata: new Dictionary<string, string> { ["kind"] = item.Kind.ToName() });
}

using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Core;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Modeling;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Grpo;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>
/// The <c>rl</c> stage (stage 2 of LoRA-PAR): GRPO of the stage-2 region on System-2 prompts (D2) only (all rows with
/// <c>rl.prompt_rows = "all"</c>), starting from the stage-1 adapter, with the KL reference = the stage-1 result (or the base
/// model), rewarded as <see cref="RlReward"/> decides for the dataset. Prompts ask for
/// <c>&lt;reasoning&gt;…&lt;/reasoning&gt;&lt;answer&gt;…&lt;/answer&gt;</c> (<see cref="RlPrompt"/>).
/// </summary>
public sealed class RlStage : TrainingStageBase
{
    /// <inheritdoc />
    public override string Kind => StageKinds.Rl;

    /// <inheritdoc />
    public override int Version => 6;

    /// <inheritdoc />
    protected override TrainingStage MaskStage => TrainingStage.Stage2;

    /// <inheritdoc />
    protected override string Section => "rl";

    /// <inheritdoc />
    protected override ProgressMonitor Train(StageContext context, BaseModel base_, LoraAdapterSet adapters, LoraMaskSet mask,
        IReadOnlyList<DatasetRow> rows, TrainingRun run)
    {
        var options = context.Manifest.Rl with { Seed = context.Manifest.Seed };
        var dataset = context.Manifest.Data.Dataset;
        var rowOptions = RlReward.RowOptions(context.Manifest);
        var prompts = rows.Select(r => new GrpoExample(r.Question, RlReward.Target(dataset, options, r), rowOptions.Of(r.Id))).ToList();
        var data = new GrpoData(prompts, RlPrompt.For(context.Manifest, RlPrompt.TemplateFolder(context.Manifest)));
        using var bar = context.Progress.Start("grpo (stage 2)", options.TotalSteps(prompts.Count));
        var monitor = new ProgressMonitor(bar, context.Log);
        var result = new GrpoTrainer(base_.Model, base_.Tokenizer, adapters, mask, options,
            RlReward.For(dataset, options)).Train(data, run, monitor, context.Cancellation);
        context.Log($"grpo: {result.Steps} steps, {result.TrainableElements} trainable elements, {result.FrozenElementsChecked} frozen elements verified unchanged");
        var metrics = new Dictionary<string, double> { ["steps"] = result.Steps, ["trainable_elements"] = result.TrainableElements };
        if (result is { FirstRollout: { } first, LastRollout: { } last })
        {
            metrics["reward_first"] = first.Reward;
            metrics["reward_last"] = last.Reward;
            metrics["accuracy_first"] = first.Accuracy ?? double.NaN;
            metrics["accuracy_last"] = last.Accuracy ?? double.NaN;
        }
        WriteMetrics(context, metrics);
        return monitor;
    }
}

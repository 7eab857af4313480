using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Modeling;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Sft;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>The <c>sft</c> stage (stage 1 of LoRA-PAR): masked supervised fine-tuning of the stage-1 region on System-1 data (D1).</summary>
public sealed class SftStage : TrainingStageBase
{
    /// <inheritdoc />
    public override string Kind => StageKinds.Sft;

    /// <inheritdoc />
    public override int Version => 3;

    /// <inheritdoc />
    protected override TrainingStage MaskStage => TrainingStage.Stage1;

    /// <inheritdoc />
    protected override string Section => "sft";

    /// <inheritdoc />
    protected override ProgressMonitor Train(StageContext context, BaseModel base_, LoraAdapterSet adapters, LoraMaskSet mask,
        IReadOnlyList<DatasetRow> rows, TrainingRun run)
    {
        var options = context.Manifest.Sft with { Seed = context.Manifest.Seed };
        var examples = TrainingExamples.Encode(base_.Tokenizer, rows);
        var data = new SftData(examples, [], base_.Tokenizer.PadId);
        var steps = options.TotalSteps((examples.Count + options.Batching.BatchSize - 1) / options.Batching.BatchSize);
        using var bar = context.Progress.Start("sft (stage 1)", steps);
        var monitor = new ProgressMonitor(bar, context.Log);
        var result = new SftTrainer(base_.Model, adapters, mask, options).Train(data, run, monitor, context.Cancellation);
        context.Log($"sft: {result.Steps} steps, final loss {result.FinalLoss:F4}, {result.TrainableElements} trainable elements, "
            + $"{result.FrozenElementsChecked} frozen elements verified unchanged");
        WriteMetrics(context, new Dictionary<string, double>
        {
            ["final_loss"] = result.FinalLoss,
            ["steps"] = result.Steps,
            ["trainable_elements"] = result.TrainableElements,
            ["examples"] = examples.Count,
        });
        return monitor;
    }
}

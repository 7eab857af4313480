using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Adapters.Peft;
using LoraPar.Core;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Modeling;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Sft;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>
/// The <c>sft</c> stage (stage 1 of LoRA-PAR): masked supervised fine-tuning of the stage-1 region on System-1 data (D1).
/// With several epochs it also commits the adapter as it stood after each epoch but the last (<c>adapter-epoch1/</c>, …),
/// so that Table 4's 1-epoch and 2-epoch cells are two models of one run (<see cref="AdapterState.EpochFolder"/>). Those
/// snapshots are written into the stage's checkpoint folder as each epoch ends, so an interrupted stage keeps them.
/// </summary>
public sealed class SftStage : TrainingStageBase
{
    /// <inheritdoc />
    public override string Kind => StageKinds.Sft;

    /// <inheritdoc />
    public override int Version => 4;

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
        StageWarnings.Write(context, Kind, LengthWarnings.Of(examples, options.Batching.MaxLength, "sft.max_length"));
        var data = new SftData(examples, [], base_.Tokenizer.PadId);
        var steps = options.TotalSteps((examples.Count + options.Batching.BatchSize - 1) / options.Batching.BatchSize);
        using var bar = context.Progress.Start("sft (stage 1)", steps);
        var monitor = new ProgressMonitor(bar, context.Log);
        var result = new SftTrainer(base_.Model, adapters, mask, options).Train(data, run, monitor, context.Cancellation,
            epoch => AtomicFolder.Write(EpochSnapshot(run, epoch), dir => PeftAdapterFormat.Save(dir, adapters, base_.Name)));
        CommitEpochSnapshots(context, run, AdapterState.EpochSnapshots(context.Manifest));
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

    private static string EpochSnapshot(TrainingRun run, int epoch) => Path.Combine(run.CheckpointDirectory, AdapterState.EpochFolder(epoch));

    /// <summary>Copies the snapshots of epochs 1 … <paramref name="epochs"/> from the checkpoint folder into the artifact.</summary>
    private static void CommitEpochSnapshots(StageContext context, TrainingRun run, int epochs)
    {
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var source = EpochSnapshot(run, epoch);
            if (!Directory.Exists(source))
                throw new JobFailedException($"sft: the adapter snapshot of epoch {epoch} is missing from {run.CheckpointDirectory}; "
                                             + "run again with --force sft to retrain the stage.");
            var target = Directory.CreateDirectory(context.OutputPath(AdapterState.EpochFolder(epoch))).FullName;
            foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}

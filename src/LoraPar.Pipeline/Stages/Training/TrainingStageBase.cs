using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Adapters.Peft;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Modeling;
using LoraPar.Training.Checkpointing;
using TorchSharp;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>
/// What the <c>sft</c> and <c>rl</c> stages share: the DAG position a recipe gives them (<see cref="StageOrder"/>), loading the
/// base model and the adapters the previous stage trained, the stage's mask, a resumable checkpoint folder in the key's
/// partial-results folder (<c>artifacts/&lt;stage&gt;/&lt;key&gt;.partial/checkpoints</c>, written on the manifest's
/// <c>checkpoint_minutes</c>; an interrupted stage continues where it stopped, and the folder goes only once the artifact is
/// committed, so no kill can lose both), and saving the
/// trained adapter in PEFT format with the stage's metrics and training curve.
/// </summary>
public abstract class TrainingStageBase : IStage
{
    /// <inheritdoc />
    public abstract string Kind { get; }

    /// <inheritdoc />
    public abstract int Version { get; }

    /// <summary>The mask this stage trains.</summary>
    protected abstract TrainingStage MaskStage { get; }

    /// <summary>The manifest section holding this stage's hyper-parameters.</summary>
    protected abstract string Section { get; }

    /// <inheritdoc />
    public StageDeclaration? Declare(PipelineManifest manifest)
    {
        if (!StageOrder.Runs(manifest.Method, Kind)) return null;
        var previous = StageOrder.Previous(manifest.Method, Kind);
        return new StageDeclaration(
            [StageKinds.Labels, StageKinds.Masks, .. previous is null ? Array.Empty<string>() : [previous], .. StageInputs.BaseUpstream(manifest)],
            [.. StageInputs.BaseReads, "method", "lora", Section],
            StageInputs.BaseInputs(manifest));
    }

    /// <inheritdoc />
    public void Execute(StageContext context)
    {
        using var scope = torch.NewDisposeScope();
        using var base_ = BaseModel.Load(context);
        var adapters = AdapterState.Prepare(context, base_, StageOrder.Previous(context.Manifest.Method, Kind));
        using var mask = AdapterState.Mask(context, MaskStage, base_.Model.Device);
        var rows = StageOrder.Systems(context.Manifest, Kind).SelectMany(s => TrainingExamples.Rows(context, s)).ToList();
        var run = new TrainingRun(context.CheckpointDirectory(), base_.Name, Cadence: context.Manifest.CheckpointCadence());
        var monitor = Train(context, base_, adapters, mask, rows, run);
        PeftAdapterFormat.Save(context.OutputPath(AdapterState.AdapterFolder), adapters, base_.Name);
        TrainingCurve.Write(context.OutputPath(TrainingCurve.FileName), monitor.Steps);
    }

    /// <summary>Trains <paramref name="adapters"/> under <paramref name="mask"/> on <paramref name="rows"/>; writes metrics.json.</summary>
    protected abstract ProgressMonitor Train(StageContext context, BaseModel base_, LoraAdapterSet adapters, LoraMaskSet mask,
        IReadOnlyList<DatasetRow> rows, TrainingRun run);

    /// <summary>Writes the stage's metrics, prefixed with its kind.</summary>
    protected void WriteMetrics(StageContext context, IReadOnlyDictionary<string, double> metrics) =>
        MetricsFile.Write(context.OutputPath(MetricsFile.FileName), metrics.ToDictionary(kv => $"{Kind}_{kv.Key}", kv => kv.Value));
}

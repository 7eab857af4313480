using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Reporting;

namespace LoraPar.Pipeline.Stages.Masks;

/// <summary>
/// The <c>masks</c> stage (paper §3.4, Algorithm 1): reads <c>importance.safetensors</c> from the <c>scores</c> artifact and
/// partitions the LoRA elements with θ, α, β and the selection of <c>[partition]</c> (importance, its random control, or full).
/// Writes masks.safetensors, partition.json, importance_scatter.png and theta_curve.png (the figures only for importance and
/// random: full needs no importance, only the tensor shapes, which it takes from the same file) and metrics.json with the
/// active share of each stage. It reads nothing but <c>[partition]</c>, the seed and <c>importance.estimator</c> (with the
/// opt-in robustness keys), so changing α or the estimator re-runs masks, never scores. Beside the paper's outputs it writes the
/// estimator ablation's cut crossings (<see cref="EstimatorMasks"/>) and, when asked, mask robustness (<see cref="RobustnessEvidence"/>).
/// </summary>
public sealed class MasksStage : IStage
{
    /// <inheritdoc />
    public string Kind => StageKinds.Masks;

    /// <inheritdoc />
    public int Version => 2;

    /// <inheritdoc />
    public StageDeclaration? Declare(PipelineManifest manifest) => new([StageKinds.Scores],
        ["partition", "seed", "importance.estimator", "importance.robustness_resamples", "importance.robustness_seeds"]);

    /// <summary>The partition options of a manifest (the run's seed folded into 31 bits).</summary>
    public static PartitionOptions OptionsOf(PipelineManifest manifest) => manifest.Partition with { Seed = (int)(manifest.Seed % int.MaxValue) };

    /// <inheritdoc />
    public void Execute(StageContext context)
    {
        TorchRuntime.EnsureInitialized();
        var options = OptionsOf(context.Manifest);
        using var progress = context.Progress.Start($"masks: {KebabCase.Name(context.Manifest.Partition.Selection)}", 3, "steps");
        using var scores = ImportanceScores.Load(Path.Combine(context.UpstreamDirectory(StageKinds.Scores), ImportanceScores.FileName));
        progress.Advance();
        context.Cancellation.ThrowIfCancellationRequested();
        var evidence = new Dictionary<string, double>();
        var statistics = options.Selection == MaskStrategy.Full ? WriteFull(context, scores, options) : WritePartition(context, scores, options, evidence);
        progress.Advance(2);
        StageWarnings.Write(context, Kind, statistics.Warnings, StageWarnings.Read(context.UpstreamDirectory(StageKinds.Scores)));
        var (stage1, stage2) = (statistics.Stages[TrainingStage.Stage1.KeyPrefix()], statistics.Stages[TrainingStage.Stage2.KeyPrefix()]);
        MetricsFile.Write(context.OutputPath(MetricsFile.FileName), new Dictionary<string, double>
        {
            ["active_percent"] = stage1.Percent,
            ["stage1_active_percent"] = stage1.Percent,
            ["stage2_active_percent"] = stage2.Percent,
        }.Concat(evidence).ToDictionary());
        context.Log($"masks: stage 1 activates {stage1.Count:N0} ({stage1.Percent}%), stage 2 {stage2.Count:N0} ({stage2.Percent}%) "
                    + $"of {statistics.TotalElements:N0} LoRA elements");
    }

    /// <summary>The partition under the manifest's estimator; adds the estimator and robustness metrics to <paramref name="evidence"/>.</summary>
    private static PartitionStatistics WritePartition(StageContext context, ImportanceScores scores, PartitionOptions options, Dictionary<string, double> evidence)
    {
        var device = DeviceResolver.Resolve(context.Manifest.Device);
        var (partition, crossings) = EstimatorMasks.Create(context, scores, options, device);
        using var owned = partition;
        context.Cancellation.ThrowIfCancellationRequested();
        foreach (var (key, value) in crossings.Concat(RobustnessEvidence.Write(context, scores, options))) evidence[key] = value;
        return PartitionArtifacts.Write(context.OutputDirectory, partition).Statistics;
    }

    private static PartitionStatistics WriteFull(StageContext context, ImportanceScores scores, PartitionOptions options)
    {
        var shapes = scores.Shapes();
        using (var masks = PartitionMasks.Full(shapes)) masks.Save(context.OutputPath(PartitionMasks.FileName));
        var statistics = FullPartition.Statistics(shapes, options);
        PartitionReport.Write(context.OutputPath(PartitionReport.FileName), statistics);
        return statistics;
    }
}

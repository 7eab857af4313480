using System.Text;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Training;
using LoraPar.Pipeline.Sweeps;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The <c>report</c> stage: <c>report.md</c> for one run — its settings, every metric its labels, masks and evaluation reported,
/// the labels (D1/D2, agreement with the ground truth where the task has one), the partition with its figures (the masks
/// stage's θ-curve and importance scatter, copied beside report.md), the training curves of its sft and rl stages
/// (<see cref="TrainingCurvePlot"/>) and, when <c>report.baseline</c> is set, the baseline cells
/// this run reproduces with differences. A sweep's α/β heat maps are drawn over all its runs by <see cref="SweepReport"/>.
/// </summary>
public sealed class ReportStage : IStage
{
    /// <inheritdoc />
    public string Kind => StageKinds.Report;

    /// <inheritdoc />
    public int Version => 5;

    /// <summary>The training stages whose logs the report draws, those the manifest's method runs.</summary>
    private static IReadOnlyList<string> TrainingStages(PipelineManifest manifest) =>
        new[] { StageKinds.Sft, StageKinds.Rl }.Where(kind => StageOrder.Runs(manifest.Method, kind)).ToList();

    /// <inheritdoc />
    public StageDeclaration? Declare(PipelineManifest manifest) => new(
        [StageKinds.Eval, StageKinds.Masks, StageKinds.Scores, StageKinds.Labels, .. TrainingStages(manifest)],
        ["report", "method", "seed", "model", "data", "splitter", "lora", "importance", "partition", "sft", "rl", "eval"],
        manifest.Report.Baseline is { } baseline ? [new StageInputFile("baseline", baseline.Resolved)] : []);

    /// <inheritdoc />
    public void Execute(StageContext context)
    {
        var stages = StageMetrics(context);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (_, values) in stages)
            foreach (var (name, value) in values) metrics[name] = value;
        var manifest = context.Manifest;
        var text = new StringBuilder();
        text.Append("# ").AppendLine(manifest.Report.Title.Length > 0 ? manifest.Report.Title : manifest.Name).AppendLine();
        text.AppendLine($"Method `{KebabCase.Name(manifest.Method)}`, selection `{KebabCase.Name(manifest.Partition.Selection)}`, "
            + $"θ = {manifest.Partition.Theta}, α = {manifest.Partition.Alpha}, β = {manifest.Partition.Beta}, "
            + $"LoRA {manifest.Lora.Targets.SettingText.ToUpperInvariant()} r = {manifest.Lora.R}, "
            + $"init `{KebabCase.Name(manifest.Lora.Init)}`, seed {manifest.Seed}.").AppendLine();
        var headline = Headline.Markdown(metrics);
        if (headline.Length > 0) text.AppendLine("## Headline").AppendLine().Append(headline).AppendLine();
        text.Append(RunWarnings.Markdown(context.UpstreamDirectories()));
        text.Append(ReportSections.Labels(context.UpstreamDirectory(StageKinds.Labels)));
        text.Append(ReportSections.Partition(context.UpstreamDirectory(StageKinds.Masks), manifest.Report.Figures ? context.OutputDirectory : null));
        text.Append(EvidenceSections.Estimators(context.UpstreamDirectory(StageKinds.Scores), stages.Single(s => s.Title == "masks").Metrics, manifest.Importance.Estimator));
        text.Append(EvidenceSections.Robustness(context.UpstreamDirectory(StageKinds.Masks), manifest.Report.Figures ? context.OutputDirectory : null));
        if (manifest.Report.Figures)
        {
            var logs = TrainingStages(manifest).ToDictionary(kind => kind,
                kind => TrainingLog.Read(Path.Combine(context.UpstreamDirectory(kind), TrainingCurve.FileName)));
            var epochs = TrainingStages(manifest).ToDictionary(kind => kind, kind => EpochBoundaries.Of(manifest, kind, metrics));
            text.Append(TrainingCurvePlot.Write(context.OutputDirectory, [new RunTrainingLogs(manifest.Name, logs, epochs)]));
        }
        text.AppendLine().Append(MetricFormat.Sections(stages));
        if (manifest.Report.Baseline is not null) text.Append(Baseline(context, metrics));
        File.WriteAllText(context.OutputPath("report.md"), text.ToString());
        context.Log($"report written ({metrics.Count} metrics)");
    }

    /// <summary>The metrics of labels, masks, the training stages and eval, per stage in pipeline order (a later stage wins a name clash).</summary>
    private static IReadOnlyList<(string Title, IReadOnlyDictionary<string, double> Metrics)> StageMetrics(StageContext context)
    {
        var method = context.Manifest.Method;
        var training = TrainingStages(context.Manifest).OrderBy(kind => kind == StageOrder.First(method) ? 0 : 1)
            .Select(kind => (Kind: kind, Title: $"{kind} (stage {(kind == StageOrder.First(method) ? 1 : 2)})"));
        return new[] { (Kind: StageKinds.Labels, Title: "labels"), (Kind: StageKinds.Masks, Title: "masks") }
            .Concat(training).Append((Kind: StageKinds.Eval, Title: "eval"))
            .Select(s => (s.Title, (IReadOnlyDictionary<string, double>)MetricsFile.Read(Path.Combine(context.UpstreamDirectory(s.Kind), MetricsFile.FileName))))
            .ToList();
    }

    private static string Baseline(StageContext context, IReadOnlyDictionary<string, double> metrics)
    {
        var manifest = context.Manifest;
        var baseline = BaselineFile.Load(context.InputPath("baseline"));
        var run = new RunResults(new RunVariant(RunVariant.DefaultName, manifest, []), metrics);
        var cells = Comparison.Build(baseline, manifest.Report.Tables, [run]).Where(c => c.Ours is not null).ToList();
        var text = new StringBuilder();
        text.AppendLine($"## Compared with {Path.GetFileName(baseline.Path)}").AppendLine();
        text.Append(cells.Count == 0
            ? "No baseline cell matches this run's settings.\n"
            : MarkdownTable.Render(["table", "row", "column", "paper", "ours", "Δ"], cells.Select(c => (IReadOnlyList<string>)
                [c.Table, c.Row, c.Column, MetricFormat.Value(c.Metric, c.Paper ?? double.NaN), MetricFormat.Value(c.Metric, c.Ours ?? double.NaN),
                 MarkdownTable.Delta(c.Ours, c.Paper)])));
        return text.ToString();
    }
}

using System.Text;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Sweeps;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The <c>report</c> stage: <c>report.md</c> for one run — its swept values, every metric its evaluation reported, and, when
/// <c>report.baseline</c> is set, the baseline cells this run reproduces with differences. Figures are added by the stages that
/// own their data (they write PNGs into their own artifacts; the report links what it finds).
/// </summary>
public sealed class ReportStage : IStage
{
    /// <inheritdoc />
    public string Kind => StageKinds.Report;

    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    public StageDeclaration? Declare(PipelineManifest manifest) => new(
        [StageKinds.Eval],
        ["report", "method", "seed", "model", "data", "splitter", "lora", "importance", "partition", "sft", "rl", "eval"],
        manifest.Report.Baseline is { } baseline ? [new StageInputFile("baseline", baseline.Resolved)] : []);

    /// <inheritdoc />
    public void Execute(StageContext context)
    {
        var metrics = MetricsFile.Read(Path.Combine(context.UpstreamDirectory(StageKinds.Eval), MetricsFile.FileName));
        var manifest = context.Manifest;
        var text = new StringBuilder();
        text.Append("# ").AppendLine(manifest.Report.Title.Length > 0 ? manifest.Report.Title : manifest.Name).AppendLine();
        text.AppendLine($"Method `{KebabCase.Name(manifest.Method)}`, θ = {manifest.Partition.Theta}, α = {manifest.Partition.Alpha}, "
            + $"β = {manifest.Partition.Beta}, LoRA {KebabCase.Name(manifest.Lora.Targets).ToUpperInvariant()} r = {manifest.Lora.Rank}, "
            + $"init `{KebabCase.Name(manifest.Lora.Init)}`, seed {manifest.Seed}.").AppendLine();
        text.AppendLine("## Metrics").AppendLine();
        text.Append(metrics.Count == 0
            ? "The evaluation reported no metrics.\n"
            : MarkdownTable.Render(["metric", "value"], metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (IReadOnlyList<string>)[kv.Key, MarkdownTable.Number(kv.Value)])));
        if (manifest.Report.Baseline is not null)
        {
            var baseline = BaselineFile.Load(context.InputPath("baseline"));
            var run = new RunResults(new RunVariant(RunVariant.DefaultName, manifest, []), metrics);
            var cells = Comparison.Build(baseline, manifest.Report.Tables, [run]).Where(c => c.Ours is not null).ToList();
            text.AppendLine().AppendLine($"## Compared with {Path.GetFileName(baseline.Path)}").AppendLine();
            text.Append(cells.Count == 0
                ? "No baseline cell matches this run's settings.\n"
                : MarkdownTable.Render(["table", "row", "column", "paper", "ours", "Δ"], cells.Select(c => (IReadOnlyList<string>)
                    [c.Table, c.Row, c.Column, MarkdownTable.Number(c.Paper), MarkdownTable.Number(c.Ours), MarkdownTable.Delta(c.Ours, c.Paper)])));
        }
        File.WriteAllText(context.OutputPath("report.md"), text.ToString());
        context.Log($"report written ({metrics.Count} metrics)");
    }
}

using System.Text;
using System.Text.RegularExpressions;
using LoraPar.Core;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Training;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The report of a whole sweep, <c>artifacts/runs/&lt;manifest&gt;/report.md</c>: one row per run with the settings and metrics
/// that differ between the runs (<see cref="SweepTable"/>), and, for a sweep over α and β (the paper's Table 2), one heat map per metric that varies over the
/// grid (<c>alpha_beta_&lt;metric&gt;.png</c> beside it; one per value of any other swept axis), for a sweep over θ the
/// paper's Figure 5 (<see cref="ThetaPerformancePlot"/>: <c>accuracy_vs_active_&lt;set&gt;_&lt;point&gt;.png</c>), and the training curves of
/// every run (<see cref="TrainingCurvePlot"/>: SFT loss, GRPO reward mean and KL, one line per run). A view over the runs' artifacts:
/// it is rewritten after every run of the manifest and is never an input of a stage.
/// </summary>
public static partial class SweepReport
{
    /// <summary>The report's file name.</summary>
    public const string FileName = "report.md";

    private const string AlphaPath = "partition.alpha";
    private const string BetaPath = "partition.beta";

    /// <summary>Writes the report for a plan with more than one run; returns its path, or null for a single run.</summary>
    public static string? Write(PipelinePlan plan, ArtifactStore store)
    {
        if (plan.Variants.Count < 2) return null;
        var runs = RunResultsReader.Read(plan, store);
        var directory = Path.Combine(store.RunsDirectory, plan.Manifest.Name);
        var text = new StringBuilder();
        var title = plan.Manifest.Report.Title.Length > 0 ? plan.Manifest.Report.Title : plan.Manifest.Name;
        text.AppendLine($"# {title}: {runs.Count} runs").AppendLine();
        text.Append(SweepTable.Render(runs));
        var verdict = ControlComparison.Render(ControlComparison.Rows(plan, store, runs));
        if (verdict.Length > 0) text.AppendLine().Append(verdict);
        var replicates = ReplicateVerdict.Render(plan, store, runs);
        if (replicates.Length > 0) text.AppendLine().Append(replicates);
        var grids = Grids(runs);
        if (plan.Manifest.Report.Figures && grids.Count > 0)
        {
            text.AppendLine().AppendLine("## α and β").AppendLine();
            foreach (var grid in grids)
            {
                var file = FigureName(grid);
                AlphaBetaHeatMap.Save(Path.Combine(directory, file), grid);
                text.AppendLine($"![{grid.Metric} over α and β{(grid.Group.Length > 0 ? $", {grid.Group}" : "")}]({file})").AppendLine();
            }
        }
        var curves = ThetaPerformancePlot.Figures(runs);
        if (plan.Manifest.Report.Figures && curves.Count > 0)
        {
            text.AppendLine().AppendLine("## Accuracy against active LoRA elements (Figure 5)").AppendLine();
            foreach (var figure in curves)
            {
                ThetaPerformancePlot.Save(Path.Combine(directory, figure.FileName), figure);
                text.AppendLine($"![{figure.Caption}]({figure.FileName})").AppendLine();
            }
        }
        if (plan.Manifest.Report.Figures) text.AppendLine().Append(TrainingCurvePlot.Write(directory, TrainingLogs(plan, store, runs)));
        text.AppendLine().Append(RunSections(plan, store, runs, directory));
        var path = Path.Combine(directory, FileName);
        AtomicFile.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>
    /// The α × β grids of <paramref name="runs"/>: runs that sweep both are grouped by their other swept values, and each metric
    /// with at least two different values in a group becomes one grid (pure).
    /// </summary>
    public static IReadOnlyList<AlphaBetaGrid> Grids(IReadOnlyList<RunResults> runs)
    {
        var swept = runs.Where(r => r.Variant.Point.Any(p => p.Key == AlphaPath) && r.Variant.Point.Any(p => p.Key == BetaPath)).ToList();
        var grids = new List<AlphaBetaGrid>();
        foreach (var group in swept.GroupBy(GroupOf).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var alphas = group.Select(r => r.Variant.Manifest.Partition.Alpha).Distinct().Order().ToList();
            var betas = group.Select(r => r.Variant.Manifest.Partition.Beta).Distinct().Order().ToList();
            if (alphas.Count * betas.Count < 2) continue;
            foreach (var metric in group.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal))
            {
                var values = new double[alphas.Count, betas.Count];
                for (var i = 0; i < alphas.Count; i++)
                    for (var j = 0; j < betas.Count; j++)
                        values[i, j] = Cell(group, alphas[i], betas[j], metric);
                if (values.Cast<double>().Where(double.IsFinite).Distinct().Count() >= 2)
                    grids.Add(new AlphaBetaGrid(metric, group.Key, alphas, betas, values));
            }
        }
        return grids;
    }

    /// <summary>"## Each run": per run its headline, a link to its own report and its partition figures, embedded (relative paths).</summary>
    private static string RunSections(PipelinePlan plan, ArtifactStore store, IReadOnlyList<RunResults> runs, string directory)
    {
        var text = new StringBuilder("## Each run\n");
        var settings = VariedSettings.Of(runs);
        foreach (var run in runs)
        {
            text.Append("\n### ").Append(settings.Label(run)).Append("\n\n");
            var headline = Headline.Markdown(run.Metrics);
            text.Append(headline.Length > 0 ? headline : "No results yet.\n");
            var node = plan.Find(run.Variant.Name, StageKinds.Report);
            if (node is null || !store.Check(StageKinds.Report, node.Key).IsComplete) continue;
            var report = store.DirectoryOf(StageKinds.Report, node.Key);
            var folder = Path.GetRelativePath(directory, report).Replace('\\', '/');
            text.Append($"\nIts report: [{run.Variant.Name}]({folder}/report.md).\n");
            if (!plan.Manifest.Report.Figures) continue;
            foreach (var (file, caption) in ReportSections.PartitionFigures.Where(f => File.Exists(Path.Combine(report, f.File))))
                text.Append($"\n![{caption}, {run.Variant.Name}]({folder}/{file})\n");
        }
        return text.ToString();
    }

    /// <summary>Each run's SFT and RL training logs (complete stages only), labelled with its varied settings.</summary>
    private static IReadOnlyList<RunTrainingLogs> TrainingLogs(PipelinePlan plan, ArtifactStore store, IReadOnlyList<RunResults> runs)
    {
        var settings = VariedSettings.Of(runs);
        return runs.Select(run =>
        {
            var stages = new[] { StageKinds.Sft, StageKinds.Rl }
                .Select(kind => (Kind: kind, Node: plan.Find(run.Variant.Name, kind)))
                .Where(n => n.Node is not null && store.Check(n.Kind, n.Node.Key).IsComplete).ToList();
            return new RunTrainingLogs(settings.Label(run),
                stages.ToDictionary(n => n.Kind, n => TrainingLog.Read(Path.Combine(store.DirectoryOf(n.Kind, n.Node!.Key), TrainingCurve.FileName))),
                stages.ToDictionary(n => n.Kind, n => EpochBoundaries.Of(run.Variant.Manifest, n.Kind, run.Metrics)));
        }).ToList();
    }

    private static double Cell(IEnumerable<RunResults> group, double alpha, double beta, string metric) =>
        group.FirstOrDefault(r => r.Variant.Manifest.Partition.Alpha == alpha && r.Variant.Manifest.Partition.Beta == beta
                                  && r.Metrics.ContainsKey(metric)) is { } run ? run.Metrics[metric] : double.NaN;

    private static string GroupOf(RunResults run) =>
        string.Join(", ", run.Variant.Point.Where(p => p.Key is not (AlphaPath or BetaPath)).Select(p => $"{p.Key.Split('.')[^1]}={p.Value}"));

    private static string FigureName(AlphaBetaGrid grid)
    {
        var group = grid.Group.Length == 0 ? "" : "_" + SafeName(grid.Group.Replace(", ", "_"));
        return $"alpha_beta_{SafeName(grid.Metric)}{group}.png";
    }

    /// <summary>The text with every run of characters unsafe in a file name replaced by '-'.</summary>
    internal static string SafeName(string text) => Unsafe().Replace(text, "-");

    [GeneratedRegex("[^A-Za-z0-9._=-]+")]
    private static partial Regex Unsafe();
}

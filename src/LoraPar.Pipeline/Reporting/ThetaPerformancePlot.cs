using System.Globalization;
using LoraPar.Core;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest;
using ScottPlot;

namespace LoraPar.Pipeline.Reporting;

/// <summary>One run's point in Figure 5: its θ, the share of LoRA elements its stage trained, and its accuracy after it.</summary>
public sealed record ThetaPerformancePoint(double Theta, double ActivePercent, double Accuracy);

/// <summary>One line of Figure 5: the runs of one module set and one selection, by increasing share active.</summary>
public sealed record ThetaPerformanceSeries(string Modules, MaskStrategy Selection, IReadOnlyList<ThetaPerformancePoint> Points)
{
    /// <summary>Random selection is drawn dashed, as in the paper.</summary>
    public bool Dashed => Selection == MaskStrategy.Random;
}

/// <summary>
/// The paper's Figure 5 for one answer set and one evaluation point: accuracy against the % of LoRA elements active, one line
/// per module set and selection, the base model as a horizontal line.
/// </summary>
/// <param name="Set">The accuracy metric's stem, e.g. <c>gsm8k_accuracy</c>.</param>
/// <param name="Point">The evaluation point: <c>stage1</c> or <c>stage2</c>.</param>
/// <param name="Group">The other swept settings these runs share ("" when none).</param>
/// <param name="Series">The lines.</param>
/// <param name="Base">The base model's accuracy, or null when the runs did not evaluate it.</param>
public sealed record ThetaPerformance(string Set, string Point, string Group, IReadOnlyList<ThetaPerformanceSeries> Series, double? Base)
{
    /// <summary>The PNG's file name beside the sweep report.</summary>
    public string FileName => $"accuracy_vs_active_{Set}_{Point}{(Group.Length == 0 ? "" : "_" + SweepReport.SafeName(Group.Replace(", ", "_")))}.png";

    /// <summary>The answer set's name, e.g. "GSM8K", "System 2".</summary>
    public string SetLabel => Headline.Label(Set[..^"_accuracy".Length]);

    /// <summary>"stage 1" or "stage 2".</summary>
    public string StageLabel => Point == "stage1" ? "stage 1" : "stage 2";

    /// <summary>The figure's caption.</summary>
    public string Caption => $"{SetLabel} accuracy after {StageLabel} against the % of LoRA elements it trained" + (Group.Length == 0 ? "" : $" ({Group})");
}

/// <summary>
/// Figure 5 from a θ sweep (pure data, then ScottPlot): each run that sweeps <c>partition.theta</c> is one point — x the
/// masks stage's <c>stage{n}_active_percent</c>, y <c>{set}_accuracy_stage{n}</c> — joined per module set (<c>lora.targets</c>)
/// and selection, random selection dashed in its module set's colour, the base model (<c>{set}_accuracy_base</c>) a
/// horizontal line. Runs that differ in other swept settings get figures of their own.
/// </summary>
public static class ThetaPerformancePlot
{
    private const string ThetaPath = "partition.theta";
    private const string ModulesPath = "lora.targets";
    private const string SelectionPath = "partition.selection";

    private static readonly string[] Sets = ["synthetic_s1_accuracy", "synthetic_s2_accuracy", "gsm8k_accuracy", "mmlu_accuracy"];

    /// <summary>The figures of <paramref name="runs"/>: one per group, answer set and trained point with results (pure).</summary>
    public static IReadOnlyList<ThetaPerformance> Figures(IReadOnlyList<RunResults> runs)
    {
        var swept = runs.Where(r => r.Variant.Point.Any(p => p.Key == ThetaPath)).ToList();
        var figures = new List<ThetaPerformance>();
        foreach (var group in swept.GroupBy(GroupOf).OrderBy(g => g.Key, StringComparer.Ordinal))
            foreach (var set in Sets)
                foreach (var point in new[] { "stage1", "stage2" })
                {
                    var series = Lines(group.ToList(), set, point);
                    if (series.Sum(s => s.Points.Count) < 2) continue;
                    var baseline = group.Select(r => r.Metrics.TryGetValue($"{set}_base", out var v) ? v : (double?)null).FirstOrDefault(v => v is not null);
                    figures.Add(new ThetaPerformance(set, point, group.Key, series, baseline));
                }
        return figures;
    }

    private static List<ThetaPerformanceSeries> Lines(IReadOnlyList<RunResults> runs, string set, string point)
    {
        var active = $"{point}_active_percent";
        return runs.Where(r => r.Metrics.ContainsKey($"{set}_{point}") && r.Metrics.ContainsKey(active)
                               && (point == "stage1" || ManifestRules.RunsRl(r.Variant.Manifest.Method)))   // a stage 2 only where one trained
            .GroupBy(r => (Modules: r.Variant.Manifest.Lora.Targets.SettingText, r.Variant.Manifest.Partition.Selection))
            .OrderBy(g => g.Key.Modules.Length).ThenBy(g => g.Key.Modules, StringComparer.Ordinal).ThenBy(g => g.Key.Selection)
            .Select(g => new ThetaPerformanceSeries(g.Key.Modules, g.Key.Selection, g
                .Select(r => new ThetaPerformancePoint(r.Variant.Manifest.Partition.Theta, r.Metrics[active], r.Metrics[$"{set}_{point}"]))
                .OrderBy(p => p.ActivePercent).ThenBy(p => p.Theta).ToList()))
            .ToList();
    }

    /// <summary>Renders one figure as PNG bytes.</summary>
    public static byte[] Render(ThetaPerformance figure, int width = 900, int height = 600)
    {
        var plot = new Plot();
        var modules = figure.Series.Select(s => s.Modules).Distinct().ToList();
        foreach (var series in figure.Series)
        {
            var color = Color.FromHex(FigurePalette.Colors[modules.IndexOf(series.Modules) % FigurePalette.Colors.Count]);
            var line = plot.Add.Scatter(series.Points.Select(p => p.ActivePercent).ToArray(), series.Points.Select(p => p.Accuracy).ToArray(),
                series.Dashed ? color.WithAlpha(0.75) : color);
            line.LinePattern = series.Dashed ? LinePattern.Dashed : LinePattern.Solid;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.MarkerShape = series.Dashed ? MarkerShape.OpenCircle : MarkerShape.FilledCircle;
            line.LegendText = modules.Count > 1 || figure.Series.Count == 1
                ? $"{series.Modules.ToUpperInvariant()}, {KebabCase.Name(series.Selection)}" : KebabCase.Name(series.Selection);
        }
        if (figure.Base is { } b)
        {
            var line = plot.Add.HorizontalLine(b, 2, Color.FromHex("#E6B800"));
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"base model ({b:0.0}%)");
        }
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.SetLimits(0, 102, 0, Math.Min(100, Math.Max(10, 1.1 * figure.Series.SelectMany(s => s.Points).Select(p => p.Accuracy).Append(figure.Base ?? 0).Max())));
        plot.XLabel($"% of LoRA elements active in {figure.StageLabel} (set by θ)");
        plot.YLabel($"{figure.SetLabel} accuracy (%)");
        plot.Title(figure.Caption, size: 13);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Renders and writes the PNG atomically.</summary>
    public static void Save(string path, ThetaPerformance figure) => AtomicFile.WriteAllBytes(path, Render(figure));

    private static string GroupOf(RunResults run) => string.Join(", ", run.Variant.Point
        .Where(p => p.Key is not (ThetaPath or ModulesPath or SelectionPath)).Select(p => $"{p.Key.Split('.')[^1]}={p.Value}"));
}

using System.Globalization;
using System.Text;
using LoraPar.Core;
using ScottPlot;

namespace LoraPar.Pipeline.Reporting;

/// <summary>The training logs of one run, by stage kind (sft, rl), with the label its lines carry in the legend.</summary>
/// <param name="Label">The run's label.</param>
/// <param name="ByStage">Each training stage's log.</param>
/// <param name="EpochStarts">Per stage, the steps after which a new epoch began (none for one epoch or when unknown).</param>
public sealed record RunTrainingLogs(string Label, IReadOnlyDictionary<string, IReadOnlyList<TrainingLogEntry>> ByStage,
    IReadOnlyDictionary<string, IReadOnlyList<int>>? EpochStarts = null)
{
    /// <summary>The log of <paramref name="stage"/>, empty when the run has none.</summary>
    public IReadOnlyList<TrainingLogEntry> Of(string stage) => ByStage.TryGetValue(stage, out var log) ? log : [];

    /// <summary>The epoch boundaries of <paramref name="stage"/>.</summary>
    public IReadOnlyList<int> EpochsOf(string stage) => EpochStarts is not null && EpochStarts.TryGetValue(stage, out var steps) ? steps : [];
}

/// <summary>One run's line in a training-curve figure: the logged points, their smoothing and the line's style.</summary>
public sealed record CurveSeries(string Label, double[] Steps, double[] Raw, double[] Smoothed, string Color, LinePattern Pattern);

/// <summary>
/// Draws training curves (ScottPlot): one PNG per <see cref="TrainingCurveKind"/>, the figure against the stage's optimizer
/// step, per run its logged points (thin) and their smoothing (<see cref="CurveSmoothing"/>, bold, in the run's
/// <see cref="FigurePalette"/> style), epoch boundaries as dotted vertical lines. The legend sits outside the axes and the
/// figure grows with it, so sixty runs stay legible.
/// </summary>
public static class TrainingCurvePlot
{
    /// <summary>The series of <paramref name="kind"/> of the runs that logged it, in run order (pure).</summary>
    public static IReadOnlyList<CurveSeries> Series(TrainingCurveKind kind, IReadOnlyList<RunTrainingLogs> runs) =>
        runs.Select(r => (r.Label, Points: kind.Series(r.Of(kind.Stage)))).Where(s => s.Points.Steps.Length > 0)
            .Select((s, i) =>
            {
                var (color, pattern) = FigurePalette.Style(i);
                return new CurveSeries(s.Label, s.Points.Steps, s.Points.Values, CurveSmoothing.Ema(s.Points.Values), color, pattern);
            }).ToList();

    /// <summary>The epoch boundaries any run of <paramref name="runs"/> has for the stage of <paramref name="kind"/>, ascending.</summary>
    public static IReadOnlyList<int> EpochMarks(TrainingCurveKind kind, IReadOnlyList<RunTrainingLogs> runs) =>
        runs.Where(r => r.Of(kind.Stage).Count > 0).SelectMany(r => r.EpochsOf(kind.Stage)).Distinct().Order().ToList();

    /// <summary>Renders <paramref name="kind"/> over the runs that have points for it as PNG bytes; null when none has.</summary>
    public static byte[]? Render(TrainingCurveKind kind, IReadOnlyList<RunTrainingLogs> runs, int width = 900, int height = 550)
    {
        var series = Series(kind, runs);
        if (series.Count == 0) return null;
        var plot = new Plot();
        foreach (var s in series)
        {
            var color = Color.FromHex(s.Color);
            var raw = plot.Add.Scatter(s.Steps, s.Raw, color.WithAlpha(0.35));
            raw.LineWidth = 1;
            raw.MarkerSize = s.Steps.Length <= 60 ? 4 : 0;
            var smooth = plot.Add.ScatterLine(s.Steps, s.Smoothed, color);
            smooth.LineWidth = 2.5f;
            smooth.LinePattern = s.Pattern;
            smooth.LegendText = series.Count == 1 ? $"smoothed (EMA {CurveSmoothing.DefaultWeight.ToString(CultureInfo.InvariantCulture)})" : s.Label;
            if (series.Count == 1) raw.LegendText = "logged";
        }
        foreach (var (step, i) in EpochMarks(kind, runs).Select((s, i) => (s, i)))
        {
            var mark = plot.Add.VerticalLine(step + 0.5, 1, Colors.Gray, LinePattern.Dotted);
            mark.LabelText = $"epoch {i + 2}";
        }
        var (fullWidth, fullHeight) = ShowLegend(plot, series, width, height);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel($"{kind.StageName} optimizer step");
        plot.YLabel(kind.YLabel);
        plot.Title(series.Count == 1 ? kind.Title : $"{kind.Title} ({series.Count} runs)", size: 15);
        return plot.GetImageBytes(fullWidth, fullHeight, ImageFormat.Png);
    }

    /// <summary>
    /// Puts the legend outside the axes, never over a line, and returns the image size that keeps the axes at
    /// <paramref name="width"/> × <paramref name="height"/>: up to twelve runs in rows below (≈ 7 px a character, 21 px a row),
    /// more in one column on the right, as tall as it needs.
    /// </summary>
    private static (int Width, int Height) ShowLegend(Plot plot, IReadOnlyList<CurveSeries> series, int width, int height)
    {
        var label = 7 * series.Max(s => s.Label.Length) + 50;
        if (series.Count > 12)
        {
            plot.ShowLegend(Edge.Right);
            plot.Legend.Orientation = Orientation.Vertical;
            return (width + label, Math.Max(height, 21 * series.Count + 60));
        }
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
        var perRow = Math.Max(1, (width - 40) / label);
        return (width, height + 21 * ((series.Count + perRow - 1) / perRow) + 16);
    }

    /// <summary>
    /// Writes every curve some run has points for into <paramref name="directory"/> (atomically) and returns the report section
    /// "## Training curves" that embeds them; empty when no run has a training log.
    /// </summary>
    public static string Write(string directory, IReadOnlyList<RunTrainingLogs> runs)
    {
        var text = new StringBuilder();
        foreach (var kind in TrainingCurveKind.All)
        {
            if (Render(kind, runs) is not { } png) continue;
            AtomicFile.WriteAllBytes(Path.Combine(directory, kind.FileName), png);
            text.Append($"![{kind.Title} against the optimizer step]({kind.FileName})\n\n");
        }
        return text.Length == 0 ? "" : "## Training curves\n\n" + text;
    }
}

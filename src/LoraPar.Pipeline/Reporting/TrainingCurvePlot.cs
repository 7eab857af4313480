using System.Text;
using LoraPar.Core;
using ScottPlot;

namespace LoraPar.Pipeline.Reporting;

/// <summary>The training logs of one run, by stage kind (sft, rl), with the label its lines carry in the legend.</summary>
public sealed record RunTrainingLogs(string Label, IReadOnlyDictionary<string, IReadOnlyList<TrainingLogEntry>> ByStage)
{
    /// <summary>The log of <paramref name="stage"/>, empty when the run has none.</summary>
    public IReadOnlyList<TrainingLogEntry> Of(string stage) => ByStage.TryGetValue(stage, out var log) ? log : [];
}

/// <summary>
/// Draws training curves (ScottPlot): one PNG per <see cref="TrainingCurveKind"/>, the figure against the optimizer step, one line
/// per run labelled with the run's varied settings.
/// </summary>
public static class TrainingCurvePlot
{
    private static readonly string[] Palette = ["#1F77B4", "#D62728", "#2CA02C", "#FF7F0E", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F"];

    /// <summary>Renders <paramref name="kind"/> over the runs that have points for it as PNG bytes; null when none has.</summary>
    public static byte[]? Render(TrainingCurveKind kind, IReadOnlyList<RunTrainingLogs> runs, int width = 900, int height = 550)
    {
        var series = runs.Select(r => (r.Label, Points: kind.Series(r.Of(kind.Stage)))).Where(s => s.Points.Steps.Length > 0).ToList();
        if (series.Count == 0) return null;
        var plot = new Plot();
        for (var i = 0; i < series.Count; i++)
        {
            var line = plot.Add.Scatter(series[i].Points.Steps, series[i].Points.Values, Color.FromHex(Palette[i % Palette.Length]));
            line.LegendText = series[i].Label;
            line.LineWidth = 2;
            line.MarkerSize = 5;
        }
        if (series.Count > 1) plot.ShowLegend(Edge.Bottom);   // below the axes: never over a line
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("optimizer step");
        plot.YLabel(kind.YLabel);
        plot.Title(series.Count == 1 ? kind.Title : $"{kind.Title} ({series.Count} runs)", size: 15);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
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

using System.Globalization;
using LoraPar.Core;
using ScottPlot;

namespace LoraPar.Method.Partition;

/// <summary>
/// The mask-robustness figures: the bootstrap Jaccard of each set against θ (mean, 95% percentile interval dotted), and the
/// Jaccard of the masks from the first k scored examples with the full sample's against k, with the stability threshold.
/// </summary>
public static class MaskRobustnessPlot
{
    /// <summary>The θ figure's file name.</summary>
    public const string ThetaFileName = "robustness_theta.png";

    /// <summary>The prefix figure's file name.</summary>
    public const string ExamplesFileName = "robustness_examples.png";

    // Stage lines go underneath, wide and translucent: with α = β = 1 they coincide with S1 and S2 (as in the θ-curve).
    private static readonly (string Key, string Label, Color Color, float Width)[] Sets =
    [
        ("stage1", "stage 1 mask", Color.FromHex("#FF7F0E").WithAlpha(0.45), 7),
        ("stage2", "stage 2 mask", Color.FromHex("#2CA02C").WithAlpha(0.45), 7),
        ("s1", "S1", Color.FromHex("#D62728"), 2),
        ("s2", "S2", Color.FromHex("#1F77B4"), 2),
    ];

    /// <summary>Bootstrap Jaccard against θ as PNG bytes.</summary>
    public static byte[] RenderTheta(MaskRobustnessReport report, int width = 900, int height = 600)
    {
        var plot = new Plot();
        var theta = report.Thetas.Select(t => t.Theta).ToArray();
        foreach (var (key, label, color, lineWidth) in Sets)
        {
            Line(plot, theta, report.Thetas.Select(t => t.Bootstrap[key].Mean).ToArray(), color, lineWidth, LinePattern.Solid).LegendText = label;
            Line(plot, theta, report.Thetas.Select(t => t.Bootstrap[key].Low).ToArray(), color, 1, LinePattern.Dotted);
            Line(plot, theta, report.Thetas.Select(t => t.Bootstrap[key].High).ToArray(), color, 1, LinePattern.Dotted);
        }
        plot.Add.VerticalLine(report.Theta, 1, Colors.Gray, LinePattern.Dashed).LegendText = Invariant($"run's θ = {report.Theta}");
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.SetLimits(theta.Min() - 0.02, 1.02, 0, 1.02);
        plot.XLabel("cumulative-importance cut θ");
        plot.YLabel("Jaccard(bootstrap mask, full-sample mask)");
        plot.Title(Invariant($"Mask stability under {report.Resamples} bootstrap resamples of the scored examples (95% interval dotted)"), size: 13);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Prefix Jaccard against the number of scored examples as PNG bytes.</summary>
    public static byte[] RenderExamples(MaskRobustnessReport report, int width = 900, int height = 600)
    {
        var plot = new Plot();
        var k = report.Prefixes.Select(p => Math.Log2(p.Examples)).ToArray();
        foreach (var (key, label, color, lineWidth) in Sets)
            Line(plot, k, report.Prefixes.Select(p => p.Jaccard[key]).ToArray(), color, lineWidth, LinePattern.Solid).LegendText = label;
        plot.Add.HorizontalLine(report.Threshold, 1, Colors.Gray, LinePattern.Dashed).LegendText = Invariant($"J = {report.Threshold}");
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.SetLimits(k.Min() - 0.2, k.Max() + 0.2, 0, 1.02);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(k, report.Prefixes.Select(p => p.Examples.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.XLabel("scored examples per system (first k of the sample, log scale)");
        plot.YLabel("Jaccard(prefix mask, full-sample mask)");
        plot.Title(report.StableExamples is { } n ? Invariant($"Masks stop changing (J ≥ {report.Threshold}) from {n} examples")
            : Invariant($"Masks still change below the full sample (J ≥ {report.Threshold} not reached earlier)"), size: 13);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Writes the figures that have data (θ and prefixes need resamples) atomically into <paramref name="directory"/>.</summary>
    public static void Save(string directory, MaskRobustnessReport report)
    {
        if (report.Thetas.Count == 0) return;
        AtomicFile.WriteAllBytes(Path.Combine(directory, ThetaFileName), RenderTheta(report));
        AtomicFile.WriteAllBytes(Path.Combine(directory, ExamplesFileName), RenderExamples(report));
    }

    private static ScottPlot.Plottables.Scatter Line(Plot plot, double[] xs, double[] ys, Color color, float width, LinePattern pattern)
    {
        var line = plot.Add.Scatter(xs, ys, color);
        line.LineWidth = width;
        line.MarkerSize = width > 1 ? width + 4 : 0;
        line.LinePattern = pattern;
        return line;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

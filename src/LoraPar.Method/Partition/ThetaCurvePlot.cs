using System.Globalization;
using LoraPar.Core;
using ScottPlot;

namespace LoraPar.Method.Partition;

/// <summary>
/// The θ-curve (paper Table 3 "%Param", Figure 5): % of LoRA elements in S1, S2, the shared set and each stage against θ,
/// with the partition's own θ marked.
/// </summary>
public static class ThetaCurvePlot
{
    /// <summary>Renders the curve as PNG bytes.</summary>
    public static byte[] Render(IReadOnlyList<ThetaPoint> curve, PartitionOptions options, int width = 900, int height = 600)
    {
        var plot = new Plot();
        var theta = curve.Select(p => p.Theta).ToArray();
        // Stage lines go underneath, wide and translucent: with α = β = 1 they coincide with S1 and S2.
        var series = new (Func<ThetaPoint, double> Value, string Label, string Color, float Width, double Alpha)[]
        {
            (p => p.Stage1Percent, "stage 1 active (SFT)", "#FF7F0E", 7, 0.45),
            (p => p.Stage2Percent, "stage 2 active (RL)", "#2CA02C", 7, 0.45),
            (p => p.System1Percent, "S1 (System 1 top set)", "#D62728", 2, 1),
            (p => p.System2Percent, "S2 (System 2 top set)", "#1F77B4", 2, 1),
            (p => p.SharedPercent, "shared S1 ∩ S2", "#9467BD", 2, 1),
        };
        foreach (var (value, label, color, lineWidth, alpha) in series)
        {
            var line = plot.Add.Scatter(theta, curve.Select(value).ToArray(), Color.FromHex(color).WithAlpha(alpha));
            line.LegendText = label;
            line.LineWidth = lineWidth;
            line.MarkerSize = lineWidth + 4;
        }
        var mark = plot.Add.VerticalLine(options.Theta, 1, Colors.Gray, LinePattern.Dotted);
        mark.LegendText = string.Create(CultureInfo.InvariantCulture, $"θ = {options.Theta}");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.SetLimits(0, 1.02, 0, 101);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(0.1);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(10);
        plot.XLabel("cumulative-importance cut θ");
        plot.YLabel("% of all LoRA elements");
        plot.Title(string.Create(CultureInfo.InvariantCulture,
            $"Active LoRA elements vs θ (α = {options.Alpha}, β = {options.Beta})"), size: 14);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Renders and writes the PNG atomically.</summary>
    public static void Save(string path, IReadOnlyList<ThetaPoint> curve, PartitionOptions options) =>
        AtomicFile.WriteAllBytes(path, Render(curve, options));
}

using System.Globalization;
using LoraPar.Core;
using ScottPlot;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// One metric over an α × β grid (the paper's Table 2): <see cref="Values"/>[i, j] is the metric of the run with α =
/// <see cref="Alphas"/>[i] and β = <see cref="Betas"/>[j], NaN where that run has no value.
/// </summary>
public sealed record AlphaBetaGrid(string Metric, string Group, IReadOnlyList<double> Alphas, IReadOnlyList<double> Betas, double[,] Values)
{
    /// <summary>Whether every cell has a value.</summary>
    public bool IsComplete => Values.Cast<double>().All(double.IsFinite);
}

/// <summary>
/// Draws an <see cref="AlphaBetaGrid"/> as a heat map (ScottPlot): α along x, β along y, one cell per run coloured by the
/// metric (viridis, with a colour bar) and labelled with its value as the report prints it; cells without a value are grey
/// and marked "—". The colour scale is honest: the metric's whole range where it has one (0–100% for accuracies), else it
/// starts at zero (<see cref="ColourRange"/>), so 2.192 against 2.206 shows as two near-equal colours, not as the two ends.
/// </summary>
public static class AlphaBetaHeatMap
{
    /// <summary>Renders the grid as PNG bytes.</summary>
    public static byte[] Render(AlphaBetaGrid grid, int width = 800, int height = 650)
    {
        var (nAlpha, nBeta) = (grid.Alphas.Count, grid.Betas.Count);
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(Intensities(grid));
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.LightGray;
        heatmap.Rectangle = new CoordinateRect(-0.5, nAlpha - 0.5, -0.5, nBeta - 0.5);
        var (low, high) = ColourRange(grid);
        heatmap.ManualRange = new ScottPlot.Range(low, high);
        plot.Add.ColorBar(heatmap).Label = $"{grid.Metric} (scale {MetricFormat.Value(grid.Metric, low)} to {MetricFormat.Value(grid.Metric, high)})";
        for (var i = 0; i < nAlpha; i++)
        {
            for (var j = 0; j < nBeta; j++)
            {
                var value = grid.Values[i, j];
                var text = plot.Add.Text(CellLabel(grid, i, j), i, j);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 18;
                text.LabelBold = true;
                text.LabelFontColor = double.IsFinite(value) && (value - low) / (high - low) < 0.5 ? Colors.White : Colors.Black;   // viridis is dark below its middle
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, nAlpha).Select(i => (double)i).ToArray(), grid.Alphas.Select(Format).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, nBeta).Select(j => (double)j).ToArray(), grid.Betas.Select(Format).ToArray());
        plot.Axes.SetLimits(-0.5, nAlpha - 0.5, -0.5, nBeta - 0.5);
        plot.XLabel("α (share of the shared set active in stage 1)");
        plot.YLabel("β (share of the shared set active in stage 2)");
        plot.Title(grid.Group.Length == 0 ? $"{grid.Metric} over α and β" : $"{grid.Metric} over α and β ({grid.Group})", size: 15);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>
    /// The values the colour scale spans (pure): the metric's bounds (<see cref="MetricFormat.Bounds"/>) when it has them, else
    /// from zero to the largest value (from the smallest to zero when all are negative, ±the largest magnitude when signs
    /// mix); never the values' own minimum to maximum. A grid of zeros spans 0–1.
    /// </summary>
    public static (double Low, double High) ColourRange(AlphaBetaGrid grid)
    {
        if (MetricFormat.Bounds(grid.Metric) is { } bounds) return bounds;
        var finite = grid.Values.Cast<double>().Where(double.IsFinite).ToList();
        var (min, max) = finite.Count == 0 ? (0.0, 0.0) : (finite.Min(), finite.Max());
        var range = min >= 0 ? (0.0, max) : max <= 0 ? (min, 0.0) : (-Math.Max(-min, max), Math.Max(-min, max));
        return range.Item1 == range.Item2 ? (0, 1) : range;
    }

    /// <summary>The text of cell (α index <paramref name="i"/>, β index <paramref name="j"/>): the value as the report prints it, or "—".</summary>
    public static string CellLabel(AlphaBetaGrid grid, int i, int j) =>
        double.IsFinite(grid.Values[i, j]) ? MetricFormat.Value(grid.Metric, grid.Values[i, j]) : "—";

    /// <summary>Renders and writes the PNG atomically.</summary>
    public static void Save(string path, AlphaBetaGrid grid) => AtomicFile.WriteAllBytes(path, Render(grid));

    /// <summary>Rows top to bottom = β from largest to smallest, columns = α ascending (ScottPlot draws row 0 at the top).</summary>
    private static double[,] Intensities(AlphaBetaGrid grid)
    {
        var (nAlpha, nBeta) = (grid.Alphas.Count, grid.Betas.Count);
        var cells = new double[nBeta, nAlpha];
        for (var i = 0; i < nAlpha; i++)
            for (var j = 0; j < nBeta; j++)
                cells[nBeta - 1 - j, i] = grid.Values[i, j];
        return cells;
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

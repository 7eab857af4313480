using System.Globalization;
using LoraPar.Core;
using ScottPlot;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// The paper's Figure 4: System-1 importance (x) against System-2 importance (y) of every LoRA element, L2-normalised, on
/// log axes, coloured System 1 only (red), System 2 only (blue), shared (purple) or neither (grey). The legend gives each
/// class's share of all elements and Jaccard(S1, S2). Large adapters are drawn from a seeded uniform subsample; elements
/// that score exactly zero sit on the axis floor (a tenth of the smallest positive score drawn).
/// </summary>
public static class ImportanceScatterPlot
{
    /// <summary>Default cap on the number of points drawn.</summary>
    public const int DefaultMaxPoints = 20_000;

    private enum PointClass { Neither, System1Only, System2Only, Shared }

    /// <summary>Renders the scatter as PNG bytes.</summary>
    public static byte[] Render(DualSystemPartition partition, int maxPoints = DefaultMaxPoints, int width = 900, int height = 800)
    {
        var (x, y, classes) = Sample(partition, maxPoints, partition.Options.Seed);
        var floor = Floor(x, y);
        double Log(double v) => Math.Log10(v > 0 ? v : floor);
        var counts = partition.Sets.Counts;
        var plot = new Plot();
        foreach (var (cls, color, _, _) in Classes(counts))   // draw order: neither underneath, shared on top
        {
            var pick = Enumerable.Range(0, classes.Length).Where(i => classes[i] == cls).ToArray();
            if (pick.Length == 0) continue;
            var points = plot.Add.ScatterPoints(pick.Select(i => Log(x[i])).ToArray(), pick.Select(i => Log(y[i])).ToArray(), color);
            points.MarkerSize = 3;
        }
        foreach (var (_, color, label, count) in Classes(counts).Skip(1).Append(Classes(counts).First()))   // legend: S1, S2, shared, neither
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = $"{label}: {Pct(count, counts.Total)}",
                MarkerStyle = new MarkerStyle(MarkerShape.FilledCircle, 9, color.WithAlpha(1.0)),
            });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"Jaccard(S1, S2) = {counts.Jaccard.ToString("0.000", CultureInfo.InvariantCulture)}" });
        plot.ShowLegend(Alignment.UpperLeft);
        LogAxis(plot.Axes.Bottom);
        LogAxis(plot.Axes.Left);
        var zeros = x.Concat(y).Any(v => v <= 0) ? " (zero: at the axis floor)" : "";
        plot.XLabel("System 1 importance (L2-normalised)" + zeros);
        plot.YLabel("System 2 importance (L2-normalised)" + zeros);
        var drawn = x.Length < counts.Total
            ? string.Create(CultureInfo.InvariantCulture, $", {x.Length:N0} of {counts.Total:N0} elements drawn")
            : "";
        plot.Title($"LoRA importance, {Describe(partition.Options)}{drawn}", size: 14);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Renders and writes the PNG atomically.</summary>
    public static void Save(string path, DualSystemPartition partition, int maxPoints = DefaultMaxPoints) =>
        AtomicFile.WriteAllBytes(path, Render(partition, maxPoints));

    internal static string Describe(PartitionOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"θ = {o.Theta}, α = {o.Alpha}, β = {o.Beta}, {o.Selection.ToString().ToLowerInvariant()} masks");

    private static IEnumerable<(PointClass, Color, string, long)> Classes(PartitionCounts c) =>
    [
        (PointClass.Neither, Color.FromHex("#B0B0B0").WithAlpha(0.5), "neither", c.Total - c.Union),
        (PointClass.System1Only, Color.FromHex("#D62728").WithAlpha(0.7), "System 1 only", c.Omega1Only),
        (PointClass.System2Only, Color.FromHex("#1F77B4").WithAlpha(0.7), "System 2 only", c.Omega2Only),
        (PointClass.Shared, Color.FromHex("#9467BD").WithAlpha(0.8), "shared", c.Shared),
    ];

    /// <summary>A seeded subsample (all points when n ≤ max) of both scores and the class of each point.</summary>
    private static (double[] X, double[] Y, PointClass[] Classes) Sample(DualSystemPartition p, int maxPoints, int seed)
    {
        using var scope = NewDisposeScope();
        var n = p.Layout.TotalElements;
        Tensor pick;
        if (n <= maxPoints) pick = arange(n, ScalarType.Int64, device: p.Sets.System1.device);
        else
        {
            using var generator = new Generator((ulong)seed);
            var drawn = randperm(n, generator: generator).narrow(0, 0, maxPoints).sort().Values;   // (max,) flat indices
            pick = drawn.to(p.Sets.System1.device);
        }
        double[] Values(Tensor flat) => flat.index_select(0, pick).to(ScalarType.Float64, CPU).data<double>().ToArray();
        bool[] Flags(Tensor mask) => mask.index_select(0, pick).cpu().data<bool>().ToArray();
        var (s1, s2) = (Flags(p.Sets.System1), Flags(p.Sets.System2));
        var classes = s1.Zip(s2, (a, b) => (a, b) switch
        {
            (true, true) => PointClass.Shared,
            (true, false) => PointClass.System1Only,
            (false, true) => PointClass.System2Only,
            _ => PointClass.Neither,
        }).ToArray();
        return (Values(p.System1Scores), Values(p.System2Scores), classes);
    }

    private static double Floor(double[] x, double[] y)
    {
        var positive = x.Concat(y).Where(v => v > 0).ToList();
        return positive.Count == 0 ? 1e-12 : positive.Min() / 10;
    }

    private static void LogAxis(ScottPlot.IAxis axis)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => "1e" + Math.Round(v).ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string Pct(long count, long total) =>
        (100.0 * count / Math.Max(1, total)).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}

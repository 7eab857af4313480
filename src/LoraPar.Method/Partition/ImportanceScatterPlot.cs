using System.Globalization;
using LoraPar.Core;
using ScottPlot;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// The paper's Figure 4: System-1 importance (x) against System-2 importance (y) of every LoRA element, L2-normalised, on
/// log axes, coloured System 1 only (red), System 2 only (blue), shared (purple) or neither (grey). The legend gives each
/// class's share of all elements and Jaccard(S1, S2). Large adapters are drawn from a seeded uniform subsample
/// (<see cref="ScatterSample"/>, independent of any mask); elements that score exactly zero sit on the axis floor (a tenth of
/// the smallest positive score drawn).
/// </summary>
public static class ImportanceScatterPlot
{
    /// <summary>Default cap on the number of points drawn.</summary>
    public const int DefaultMaxPoints = 20_000;

    /// <summary>Renders the scatter as PNG bytes.</summary>
    public static byte[] Render(DualSystemPartition partition, int maxPoints = DefaultMaxPoints, int width = 900, int height = 800)
    {
        var (x, y, classes) = Points(partition, maxPoints);
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

    private static IEnumerable<(ScatterRegion, Color, string, long)> Classes(PartitionCounts c) =>
    [
        (ScatterRegion.Neither, Color.FromHex("#B0B0B0").WithAlpha(0.5), "neither", c.Total - c.Union),
        (ScatterRegion.System1Only, Color.FromHex("#D62728").WithAlpha(0.7), "System 1 only", c.Omega1Only),
        (ScatterRegion.System2Only, Color.FromHex("#1F77B4").WithAlpha(0.7), "System 2 only", c.Omega2Only),
        (ScatterRegion.Shared, Color.FromHex("#9467BD").WithAlpha(0.8), "shared", c.Shared),
    ];

    /// <summary>
    /// The points drawn: both scores and the region of each element of the <see cref="ScatterSample"/> of the run's seed (all
    /// elements when there are at most <paramref name="maxPoints"/>), in flat-index order.
    /// </summary>
    public static ScatterPoints Points(DualSystemPartition p, int maxPoints = DefaultMaxPoints)
    {
        using var scope = NewDisposeScope();
        var drawn = ScatterSample.Indices(p.Layout.TotalElements, maxPoints, p.Options.Seed);
        var pick = tensor(drawn, ScalarType.Int64).to(p.Sets.System1.device);   // (drawn,) flat indices
        double[] Values(Tensor flat) => flat.index_select(0, pick).to(ScalarType.Float64, CPU).data<double>().ToArray();
        bool[] Flags(Tensor mask) => mask.index_select(0, pick).cpu().data<bool>().ToArray();
        var (s1, s2) = (Flags(p.Sets.System1), Flags(p.Sets.System2));
        var regions = s1.Zip(s2, (a, b) => (a, b) switch
        {
            (true, true) => ScatterRegion.Shared,
            (true, false) => ScatterRegion.System1Only,
            (false, true) => ScatterRegion.System2Only,
            _ => ScatterRegion.Neither,
        }).ToArray();
        return new ScatterPoints(Values(p.System1Scores), Values(p.System2Scores), regions);
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

/// <summary>Where an element falls in the partition: in S1 only, in S2 only, in both (shared) or in neither.</summary>
public enum ScatterRegion { Neither, System1Only, System2Only, Shared }

/// <summary>The points of the importance scatter: System-1 score (x), System-2 score (y) and region of each element drawn.</summary>
public sealed record ScatterPoints(double[] X, double[] Y, ScatterRegion[] Regions);

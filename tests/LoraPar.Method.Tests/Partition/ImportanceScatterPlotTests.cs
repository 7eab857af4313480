using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Partition;

/// <summary>
/// The scatter's subsample is uniform and independent of the masks: for the random control too (whose permutation once
/// chose the drawn points, so all of them fell in its selected regions), each region's share among the points drawn matches
/// its share of all elements within four standard deviations of the hypergeometric count.
/// </summary>
public sealed class ImportanceScatterPlotTests
{
    public ImportanceScatterPlotTests() => TorchRuntime.EnsureInitialized();

    [Theory]
    [InlineData(MaskStrategy.Random, 7)]
    [InlineData(MaskStrategy.Random, 0)]
    [InlineData(MaskStrategy.Importance, 7)]
    public void The_regions_are_drawn_in_proportion_to_their_size(MaskStrategy selection, int seed)
    {
        using var scope = NewDisposeScope();
        using var scores = SyntheticScores.Create(seed: 3);
        using var partition = DualSystemPartition.Create(scores, new PartitionOptions(0.9, 1, 1, selection, seed));
        const int drawn = 1000;
        var points = ImportanceScatterPlot.Points(partition, drawn);
        var counts = partition.Sets.Counts;
        long n = counts.Total;
        Assert.True(n > 4 * drawn, $"{n} elements: the test needs a real subsample");
        Assert.Equal(drawn, points.Regions.Length);
        foreach (var (region, size) in new[]
                 {
                     (ScatterRegion.System1Only, counts.Omega1Only), (ScatterRegion.System2Only, counts.Omega2Only),
                     (ScatterRegion.Shared, counts.Shared), (ScatterRegion.Neither, n - counts.Union),
                 })
        {
            var p = (double)size / n;
            var sd = Math.Sqrt(drawn * p * (1 - p) * (n - drawn) / (n - 1.0));   // hypergeometric: drawing without replacement
            var seen = points.Regions.Count(r => r == region);
            Assert.True(Math.Abs(seen - drawn * p) <= 4 * sd + 1, $"{region}: {seen} of {drawn} drawn, {drawn * p:F1} ± {sd:F1} expected ({size} of {n})");
        }
    }

    [Fact]
    public void The_points_are_the_elements_scores_and_regions()
    {
        using var scope = NewDisposeScope();
        using var scores = SyntheticScores.Create(seed: 3);
        using var partition = DualSystemPartition.Create(scores, new PartitionOptions(0.9, 1, 1, MaskStrategy.Random, 7));
        var all = ImportanceScatterPlot.Points(partition, int.MaxValue);
        Assert.Equal(partition.Sets.Counts.Total, all.X.Length);
        Assert.Equal(partition.System1Scores.to(ScalarType.Float64).data<double>().ToArray(), all.X);
        Assert.Equal(partition.Sets.Counts.Shared, all.Regions.LongCount(r => r == ScatterRegion.Shared));
        Assert.Equal(partition.Sets.Counts.Omega2Only, all.Regions.LongCount(r => r == ScatterRegion.System2Only));
    }

    [Fact]
    public void The_sample_is_a_set_of_distinct_indices_fixed_by_the_seed()
    {
        var a = ScatterSample.Indices(100_000, 5_000, seed: 4);
        Assert.Equal(5_000, a.Distinct().Count());
        Assert.All(a, i => Assert.InRange(i, 0, 99_999));
        Assert.Equal(a, a.Order());
        Assert.Equal(a, ScatterSample.Indices(100_000, 5_000, seed: 4));
        Assert.NotEqual(a, ScatterSample.Indices(100_000, 5_000, seed: 5));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), ScatterSample.Indices(10, 20, seed: 4));
    }
}

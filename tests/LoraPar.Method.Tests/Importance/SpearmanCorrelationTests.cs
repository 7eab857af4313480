using LoraPar.Method.Importance;

namespace LoraPar.Method.Tests.Importance;

public sealed class SpearmanCorrelationTests
{
    [Fact]
    public void Ties_get_their_average_rank()
    {
        Assert.Equal([3.0, 1, 3, 3], SpearmanCorrelation.AverageRanks([3, 1, 3, 3]));   // the three 3s span ranks 2, 3, 4
        Assert.Equal([1.5, 1.5, 3], SpearmanCorrelation.AverageRanks([0, 0, 7]));
    }

    [Fact]
    public void A_sample_with_ties_gives_the_hand_computed_rho()
    {
        // ranks x = [1, 2.5, 2.5, 4], y = [1, 3, 2, 4]; deviations from 2.5: [-1.5, 0, 0, 1.5] and [-1.5, 0.5, -0.5, 1.5];
        // Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5, so ρ = 4.5 / √22.5 = 3/√10.
        Assert.Equal(3 / Math.Sqrt(10), SpearmanCorrelation.Of([1, 2, 2, 3], [1, 3, 2, 4]), 12);
    }

    [Fact]
    public void Monotone_samples_give_plus_or_minus_one_and_a_constant_sample_gives_nan()
    {
        Assert.Equal(1, SpearmanCorrelation.Of([1, 5, 9, 20], [0.1, 0.2, 3, 4]), 12);
        Assert.Equal(-1, SpearmanCorrelation.Of([1, 5, 9, 20], [4, 3, 0.2, 0.1]), 12);
        Assert.True(double.IsNaN(SpearmanCorrelation.Of([1, 2, 3], [7, 7, 7])));
        Assert.Throws<ArgumentException>(() => SpearmanCorrelation.Of([1, 2], [1, 2, 3]));
    }

    [Fact]
    public void Twice_ranks_are_exact_integers_sorted_in_place()
    {
        double[] keys = [3, 1, 3, 3];
        Assert.Equal([6, 2, 6, 6], SpearmanCorrelation.TwiceAverageRanks(keys));   // twice the ranks 3, 1, 3, 3 above
        Assert.Equal([1.0, 3, 3, 3], keys);                                        // the sample itself is sorted, not copied
    }

    [Fact]
    public void Rho_from_twice_ranks_is_bit_identical_to_rho_from_the_counted_average_ranks()
    {
        // Many ties (values rounded to tenths); the reference ranks are counted, not sorted: #less + (#equal + 1) / 2.
        var random = new Random(7);
        var x = Enumerable.Range(0, 2000).Select(_ => Math.Round(random.NextDouble(), 1)).ToArray();
        var y = x.Select(v => Math.Round(v + random.NextDouble(), 1)).ToArray();
        static double[] Counted(double[] v) => v.Select(a => v.Count(b => b < a) + (v.Count(b => b == a) + 1) / 2.0).ToArray();
        var expected = SpearmanCorrelation.OfRanks(Counted(x), Counted(y));
        var actual = SpearmanCorrelation.OfTwiceRanks(SpearmanCorrelation.TwiceAverageRanks([.. x]), SpearmanCorrelation.TwiceAverageRanks([.. y]));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(SpearmanCorrelation.Of(x, y)));
    }
}

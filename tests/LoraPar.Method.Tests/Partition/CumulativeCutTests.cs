using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Partition;

public sealed class CumulativeCutTests
{
    public CumulativeCutTests() => TorchRuntime.EnsureInitialized();

    // Scores of a 2×3 tensor, flat: [3, 1, 2, 2, 0, 2], total 10. Descending order with ties by index: 0, 2, 3, 5, 1, 4;
    // cumulative sums 3, 5, 7, 9, 10, 10. θ = 0.3 and 0.7 land exactly on a cumulative sum (0.3·10 and 0.7·10 are not
    // exact in binary); θ = 0.5 splits the tie of 2s at flat index 2; θ = 1 stops before the zero.
    [Theory]
    [InlineData(0.1, new[] { 0 })]
    [InlineData(0.3, new[] { 0 })]
    [InlineData(0.31, new[] { 0, 2 })]
    [InlineData(0.5, new[] { 0, 2 })]
    [InlineData(0.6, new[] { 0, 2, 3 })]
    [InlineData(0.7, new[] { 0, 2, 3 })]
    [InlineData(0.9, new[] { 0, 2, 3, 5 })]
    [InlineData(0.95, new[] { 0, 1, 2, 3, 5 })]
    [InlineData(1.0, new[] { 0, 1, 2, 3, 5 })]
    public void The_cut_keeps_the_shortest_prefix_reaching_theta(double theta, int[] expected)
    {
        using var scope = NewDisposeScope();
        var scores = tensor(new double[] { 3, 1, 2, 2, 0, 2 });
        Assert.Equal(expected, Selected(CumulativeCut.Select(scores, theta)));
        Assert.Equal(expected, Selected(CumulativeCut.Select(CumulativeCut.L2Normalise(scores), theta)));
    }

    [Fact]
    public void Ties_are_ordered_by_ascending_index()
    {
        using var scope = NewDisposeScope();
        var order = CumulativeCut.DescendingOrder(tensor(new double[] { 1, 2, 1, 2, 1, 2, 0 }));
        Assert.Equal(new long[] { 1, 3, 5, 0, 2, 4, 6 }, order.data<long>().ToArray());
    }

    [Fact]
    public void Normalisation_gives_unit_length()
    {
        using var scope = NewDisposeScope();
        var normalised = CumulativeCut.L2Normalise(tensor(new float[] { 3, 4 }));
        Assert.Equal(new[] { 0.6, 0.8 }, normalised.data<double>().ToArray().Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Activation_fractions_floor_decimal_products_exactly()
    {
        Assert.Equal(29, ActivationFraction.Floor(0.29, 100));   // 0.29 · 100 = 28.999999999999996 in binary
        Assert.Equal(1, ActivationFraction.Floor(0.5, 3));
        Assert.Equal(0, ActivationFraction.Floor(0.0, 7));
        Assert.Equal(7, ActivationFraction.Floor(1.0, 7));
    }

    private static int[] Selected(Tensor mask) =>
        mask.data<bool>().ToArray().Select((on, i) => (on, i)).Where(p => p.on).Select(p => p.i).ToArray();
}

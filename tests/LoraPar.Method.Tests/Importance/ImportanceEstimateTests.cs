using LoraPar.Method.Importance;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Importance;

public sealed class ImportanceEstimateTests
{
    public ImportanceEstimateTests() => TorchRuntime.EnsureInitialized();

    // The 2×3 case of SecondOrderImportanceTests, worked by hand for every estimator:
    // φ = [[1, -2, 0.5], [0, 3, -1]], ḡ = [[2, -1, 1], [0, 1, 2]], F̂ = [[5, 2, 2], [1, 1, 8]] (N = 2).
    private static readonly double[,] Phi = { { 1, -2, 0.5 }, { 0, 3, -1 } };
    private static readonly double[,] G1 = { { 1, 0, 2 }, { -1, 1, 0 } };
    private static readonly double[,] G2 = { { 3, -2, 0 }, { 1, 1, 4 } };

    [Theory]
    [InlineData(ImportanceEstimator.SecondOrder, new[] { 0.5, 2, 0.25, 0, 1.5, 6 })]   // |ḡφ − ½F̂φ²|
    [InlineData(ImportanceEstimator.FirstOrder, new[] { 2.0, 2, 0.5, 0, 3, 2 })]       // |ḡφ|
    [InlineData(ImportanceEstimator.Fisher, new[] { 2.5, 4, 0.25, 0, 4.5, 4 })]        // ½F̂φ²
    [InlineData(ImportanceEstimator.Gradient, new[] { 2.0, 1, 1, 0, 1, 2 })]           // |ḡ|
    [InlineData(ImportanceEstimator.Magnitude, new[] { 1.0, 2, 0.5, 0, 3, 1 })]        // |φ|
    public void Every_estimator_gives_its_hand_computed_scores(ImportanceEstimator estimator, double[] expected)
    {
        using var scope = NewDisposeScope();
        var (g1, g2) = (tensor(G1), tensor(G2));
        var score = ImportanceEstimate.Of(estimator, g1 + g2, g1.square() + g2.square(), 2, tensor(Phi));
        Assert.Equal(ScalarType.Float64, score.dtype);
        Assert.Equal(new long[] { 2, 3 }, score.shape);
        Assert.Equal(expected, score.reshape(-1).data<double>().ToArray());   // (2, 3) -> (6,)
    }

    [Fact]
    public void Random_scores_are_uniform_draws_fixed_by_the_seed()
    {
        using var scope = NewDisposeScope();
        var (g1, g2, phi) = (tensor(G1), tensor(G2), tensor(Phi));
        double[] Draw(long seed) => ImportanceEstimate.Of(ImportanceEstimator.Random, g1 + g2, g1.square() + g2.square(), 2, phi, seed).reshape(-1).data<double>().ToArray();
        var (a, b, c) = (Draw(5), Draw(5), Draw(6));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, v => Assert.InRange(v, 0, 1));
        Assert.Equal(6, a.Distinct().Count());
    }
}

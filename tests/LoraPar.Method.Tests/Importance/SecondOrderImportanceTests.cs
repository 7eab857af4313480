using LoraPar.Method.Importance;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Importance;

public sealed class SecondOrderImportanceTests
{
    public SecondOrderImportanceTests() => TorchRuntime.EnsureInitialized();

    // φ and two examples' gradients of a 2×3 LoRA tensor, worked by hand:
    // ḡ = [[2, -1, 1], [0, 1, 2]], F̂ = [[5, 2, 2], [1, 1, 8]],
    // I = |ḡφ − ½F̂φ²| = [[|2 − 2.5|, |2 − 4|, |0.5 − 0.25|], [|0 − 0|, |3 − 4.5|, |−2 − 4|]].
    private static readonly double[,] Phi = { { 1, -2, 0.5 }, { 0, 3, -1 } };
    private static readonly double[,] G1 = { { 1, 0, 2 }, { -1, 1, 0 } };
    private static readonly double[,] G2 = { { 3, -2, 0 }, { 1, 1, 4 } };
    private static readonly double[] Expected = [0.5, 2, 0.25, 0, 1.5, 6];

    [Fact]
    public void Per_example_gradients_give_the_hand_computed_scores()
    {
        using var scope = NewDisposeScope();
        var perExample = stack([tensor(G1), tensor(G2)]);   // (2, 2, 3)
        var score = SecondOrderImportance.FromPerExampleGradients(perExample, tensor(Phi));
        Assert.Equal(ScalarType.Float64, score.dtype);
        Assert.Equal(Expected, score.reshape(-1).data<double>().ToArray());   // (2, 3) -> (6,)
    }

    [Fact]
    public void Running_sums_give_the_same_scores_as_per_example_gradients()
    {
        using var scope = NewDisposeScope();
        var (g1, g2) = (tensor(G1, ScalarType.Float32), tensor(G2, ScalarType.Float32));
        var score = SecondOrderImportance.FromMoments(g1 + g2, g1.square() + g2.square(), 2, tensor(Phi, ScalarType.Float32));
        Assert.Equal(Expected, score.reshape(-1).data<double>().ToArray());   // (2, 3) -> (6,)
    }

    [Fact]
    public void Mismatched_shapes_and_an_empty_count_are_rejected()
    {
        using var scope = NewDisposeScope();
        var phi = tensor(Phi);
        Assert.Throws<ArgumentException>(() => SecondOrderImportance.FromPerExampleGradients(tensor(G1), phi));
        Assert.Throws<ArgumentException>(() => SecondOrderImportance.FromMoments(zeros(3, 2), zeros(2, 3), 1, phi));
        Assert.Throws<ArgumentOutOfRangeException>(() => SecondOrderImportance.FromMoments(zeros(2, 3), zeros(2, 3), 0, phi));
    }
}

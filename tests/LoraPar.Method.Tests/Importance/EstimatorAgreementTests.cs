using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Importance;

public sealed class EstimatorAgreementTests
{
    public EstimatorAgreementTests() => TorchRuntime.EnsureInitialized();

    private const string Name = "model.layers.0.self_attn.q_proj.lora_A";

    [Fact]
    public void Pooled_and_per_tensor_rho_match_the_hand_computed_value_of_the_two_by_three_case()
    {
        // Scores of ImportanceEstimateTests: second-order [0.5, 2, 0.25, 0, 1.5, 6] has ranks [3, 5, 2, 1, 4, 6]; first-order
        // [2, 2, 0.5, 0, 3, 2] has ranks [4, 4, 2, 1, 6, 4] (three tied 2s share rank 4). Deviations from 3.5:
        // Σdxdy = 11.5, Σdx² = 17.5, Σdy² = 15.5, so ρ = 11.5 / √(17.5 · 15.5).
        using var scope = NewDisposeScope();
        var g1 = tensor(new double[,] { { 1, 0, 2 }, { -1, 1, 0 } });
        var g2 = tensor(new double[,] { { 3, -2, 0 }, { 1, 1, 4 } });
        var sums = new Dictionary<string, (Tensor, Tensor)> { [Name] = (g1 + g2, g1.square() + g2.square()) };
        using var moments = new ImportanceMoments(
            ReasoningSystemNames.All.ToDictionary(s => s, _ => (IReadOnlyDictionary<string, (Tensor Sum, Tensor SquareSum)>)sums),
            ReasoningSystemNames.All.ToDictionary(s => s, _ => 2L),
            new Dictionary<string, Tensor> { [Name] = tensor(new double[,] { { 1, -2, 0.5 }, { 0, 3, -1 } }) });
        var agreement = EstimatorAgreement.Compute(moments, seed: 1);
        var expected = 11.5 / Math.Sqrt(17.5 * 15.5);
        Assert.Equal(expected, agreement.WithSecondOrder(ReasoningSystem.System1, ImportanceEstimator.FirstOrder), 12);
        Assert.Equal(expected, agreement.PerTensor.Single(t => t.System == "s2" && t.Estimator == ImportanceEstimator.FirstOrder).Spearman, 12);
        Assert.Equal(2 * 15, agreement.Pooled.Count);        // every pair of six estimators, per system
        Assert.Equal(2 * 5, agreement.PerTensor.Count);      // five estimators against the second-order score, one tensor
    }

    [Fact]
    public void The_agreement_allocates_a_bounded_number_of_managed_bytes_per_lora_element()
    {
        // Holding every estimator's float64 scores and ranks at once, as the agreement once did, allocated ≈ 485 bytes per
        // element and system (≈ 0.25 GiB per layer of a 7B-shaped model on top of the plan); one estimator at a time, as
        // integer twice-ranks, allocates ≈ 240 (float64 scores twice, two int32 arrays, per pooled and per-tensor pass).
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        string[] names = [Name, "model.layers.0.self_attn.q_proj.lora_B", "model.layers.0.mlp.down_proj.lora_A"];
        var shapes = new long[][] { [8, 4096], [4096, 8], [8, 4096] };
        var sums = names.Select((n, i) => (n, Sum: randn(shapes[i], ScalarType.Float64, generator: generator), Square: rand(shapes[i], ScalarType.Float64, generator: generator)))
            .ToDictionary(x => x.n, x => (x.Sum, x.Square));
        using var moments = new ImportanceMoments(
            ReasoningSystemNames.All.ToDictionary(s => s, _ => (IReadOnlyDictionary<string, (Tensor Sum, Tensor SquareSum)>)sums),
            ReasoningSystemNames.All.ToDictionary(s => s, _ => 4L),
            names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => randn(shapes[x.i], ScalarType.Float64, generator: generator)));
        var elements = 2.0 * names.Length * 8 * 4096;   // both systems
        var before = GC.GetAllocatedBytesForCurrentThread();
        EstimatorAgreement.Compute(moments, seed: 1);
        var perElement = (GC.GetAllocatedBytesForCurrentThread() - before) / elements;
        Assert.True(perElement < 320, $"{perElement:F0} bytes per LoRA element");
    }
}

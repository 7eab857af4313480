using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Importance;

/// <summary>
/// The batched per-example formulas against the slow reference: one autograd backward per example on a toy LoRA linear
/// layer y = W x + s·B(A x) with a non-linear, token-masked per-example loss.
/// </summary>
public sealed class PerExampleLoraGradientsTests
{
    private const int Batch = 3, Tokens = 5, In = 6, Out = 4, Rank = 2;
    private const double Scale = 2.5;

    public PerExampleLoraGradientsTests() => TorchRuntime.EnsureInitialized();

    private sealed record ToyLayer(Tensor W, Tensor A, Tensor B, Tensor X, Tensor Target, Tensor TokenMask);

    private static ToyLayer MakeLayer(long seed)
    {
        using var generator = new Generator((ulong)seed);
        Tensor Randn(params long[] shape) => randn(shape, generator: generator);
        var tokenMask = ones(Batch, Tokens);
        tokenMask[0, 3] = tensor(0f);   // padded / prompt positions carry no loss
        tokenMask[0, 4] = tensor(0f);
        tokenMask[2, 0] = tensor(0f);
        return new ToyLayer(Randn(Out, In), (Randn(Rank, In) * 0.5f).requires_grad_(), (Randn(Out, Rank) * 0.5f).requires_grad_(),
                            Randn(Batch, Tokens, In), Randn(Batch, Tokens, Out), tokenMask);
    }

    /// <summary>Example k's loss: Σₜ maskₖₜ · Σₒ (tanh(yₖₜₒ) − targetₖₜₒ)²; inputs are (b, T, ·) slices.</summary>
    private static Tensor Loss(Tensor y, Tensor target, Tensor mask) =>
        ((y.tanh() - target).square().sum(dim: -1) * mask).sum();

    [Fact]
    public void Batched_gradients_equal_a_per_example_autograd_loop()
    {
        using var scope = NewDisposeScope();
        var layer = MakeLayer(7);
        var h = layer.X.matmul(layer.A.t());                                    // (b, T, in) @ (in, r) -> (b, T, r)
        var y = layer.X.matmul(layer.W.t()) + Scale * h.matmul(layer.B.t());    // (b, T, out)
        var loss = Loss(y, layer.Target, layer.TokenMask);                      // Σₖ Lₖ
        var gy = torch.autograd.grad([loss], [y])[0];                           // (b, T, out)
        using var batched = PerExampleLoraGradients.Compute(layer.X, h, gy, layer.B, Scale);
        Assert.Equal(new long[] { Batch, Rank, In }, batched.A.shape);
        Assert.Equal(new long[] { Batch, Out, Rank }, batched.B.shape);

        for (var k = 0; k < Batch; k++)
        {
            var (refA, refB) = ReferenceGradients(layer, k);
            Assert.True(RelativeError(batched.A[k], refA) <= 1e-5, $"∂L/∂A of example {k}: rel {RelativeError(batched.A[k], refA)}");
            Assert.True(RelativeError(batched.B[k], refB) <= 1e-5, $"∂L/∂B of example {k}: rel {RelativeError(batched.B[k], refB)}");
        }
    }

    [Fact]
    public void Importance_from_batched_gradients_equals_importance_from_the_loop()
    {
        using var scope = NewDisposeScope();
        var layer = MakeLayer(11);
        var h = layer.X.matmul(layer.A.t());                                    // (b, T, r)
        var y = layer.X.matmul(layer.W.t()) + Scale * h.matmul(layer.B.t());    // (b, T, out)
        var gy = torch.autograd.grad([Loss(y, layer.Target, layer.TokenMask)], [y])[0];
        using var batched = PerExampleLoraGradients.Compute(layer.X, h, gy, layer.B, Scale);
        using var accumulator = new ImportanceAccumulator(CPU);
        const string path = "model.layers.0.self_attn.q_proj";
        foreach (var system in ReasoningSystemNames.All) accumulator.Add(system, batched.Keyed(path));
        using var scores = accumulator.ToScores(new Dictionary<string, Tensor> { [$"{path}.lora_A"] = layer.A, [$"{path}.lora_B"] = layer.B });

        var loop = Enumerable.Range(0, Batch).Select(k => ReferenceGradients(layer, k)).ToList();
        var slowA = SecondOrderImportance.FromPerExampleGradients(stack(loop.Select(g => g.A)), layer.A);   // (r, in)
        var slowB = SecondOrderImportance.FromPerExampleGradients(stack(loop.Select(g => g.B)), layer.B);   // (out, r)
        Assert.True(RelativeError(scores[ReasoningSystem.System1, $"{path}.lora_A"], slowA) <= 1e-5);
        Assert.True(RelativeError(scores[ReasoningSystem.System2, $"{path}.lora_B"], slowB) <= 1e-5);
    }

    [Fact]
    public void A_hand_computed_two_example_case()
    {
        // A = [1 2] (r = 1, in = 2), B = [1; −1] (out = 2, r = 1), s = 2. Example 0: x = [1 0; 0 1], gy = [1 0; 0 2], so
        // h = (1, 2), Bᵀgy = (1, −2): ∂L₀/∂B = 2·(1·[1 0] + 2·[0 2])ᵀ = [2; 8], ∂L₀/∂A = 2·(1·[1 0] − 2·[0 1]) = [2 −4].
        // Example 1: x = [1 1; 2 0], gy = [0 1; 0 0] (its second token is padding), so h = (3, 2), Bᵀgy = (−1, 0):
        // ∂L₁/∂B = 2·3·[0 1]ᵀ = [0; 6], ∂L₁/∂A = 2·(−1)·[1 1] = [−2 −2].
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 0, 0, 1, 1, 1, 2, 0 }, [2, 2, 2]);    // (batch, T, in)
        var gy = tensor(new float[] { 1, 0, 0, 2, 0, 1, 0, 0 }, [2, 2, 2]);   // (batch, T, out)
        var a = tensor(new float[] { 1, 2 }, [1, 2]);                         // (r, in)
        var b = tensor(new float[] { 1, -1 }, [2, 1]);                        // (out, r)
        var h = x.matmul(a.t());                                              // (batch, T, in) @ (in, r) → (batch, T, r)
        using var gradients = PerExampleLoraGradients.Compute(x, h, gy, b, 2.0);
        Assert.Equal(new float[] { 2, -4, -2, -2 }, gradients.A.contiguous().data<float>().ToArray());   // (batch, r, in)
        Assert.Equal(new float[] { 2, 8, 0, 6 }, gradients.B.contiguous().data<float>().ToArray());      // (batch, out, r)
    }

    [Fact]
    public void Inconsistent_shapes_are_rejected_with_the_shapes_named()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() =>
            PerExampleLoraGradients.Compute(zeros(2, 3, 6), zeros(2, 3, 2), zeros(2, 3, 5), zeros(4, 2), 1.0));
        Assert.Contains("gy (2, 3, 5)", error.Message);
    }

    private static (Tensor A, Tensor B) ReferenceGradients(ToyLayer layer, int k)
    {
        var x = layer.X.narrow(0, k, 1);                                                         // (1, T, in)
        var y = x.matmul(layer.W.t()) + Scale * x.matmul(layer.A.t()).matmul(layer.B.t());      // (1, T, out)
        var loss = Loss(y, layer.Target.narrow(0, k, 1), layer.TokenMask.narrow(0, k, 1));
        var grads = torch.autograd.grad([loss], [layer.A, layer.B]);
        return (grads[0], grads[1]);
    }

    private static double RelativeError(Tensor actual, Tensor expected) =>
        (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs().max().item<double>()
        / Math.Max(expected.abs().max().to(ScalarType.Float64).item<double>(), 1e-30);
}

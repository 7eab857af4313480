using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Method.Importance;

/// <summary>Per-example gradients of one LoRA layer's factors for a batch.</summary>
/// <param name="A">∂Lₖ/∂A for every example k: (batch, r, in).</param>
/// <param name="B">∂Lₖ/∂B for every example k: (batch, out, r).</param>
public sealed record LoraGradientPair(Tensor A, Tensor B) : IDisposable
{
    /// <summary>The pair keyed by LoRA tensor name: <c>{modulePath}.lora_A</c> and <c>{modulePath}.lora_B</c>.</summary>
    public IReadOnlyDictionary<string, Tensor> Keyed(string modulePath) =>
        new Dictionary<string, Tensor> { [$"{modulePath}.lora_A"] = A, [$"{modulePath}.lora_B"] = B };

    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}

/// <summary>
/// Per-example LoRA gradients for a whole batch from one backward pass. For a LoRA layer whose branch computes
/// y = s · (x Aᵀ) Bᵀ with input x (batch, T, in), rank activation h = x Aᵀ (batch, T, r) and output gradient gy = ∂L/∂y
/// (batch, T, out), where L = Σₖ Lₖ is the <em>sum</em> of the examples' own losses (so that example k's tokens carry
/// exactly ∂Lₖ/∂y):
/// <list type="bullet">
/// <item>∂Lₖ/∂B = s · Σₜ gyₖₜ ⊗ hₖₜ, shape (out, r);</item>
/// <item>∂Lₖ/∂A = s · Σₜ (Bᵀ gyₖₜ) ⊗ xₖₜ, shape (r, in).</item>
/// </list>
/// Padding and prompt positions need no special case: their gy is zero when the loss masks them. The layer input x must be
/// the one the LoRA branch saw (after dropout; score with dropout 0). Half-precision inputs are computed in float32.
/// The per-example tensors are materialised on purpose: F̂ needs the square of every element of every example's gradient,
/// and the Gram-matrix identity that avoids materialising (‖gₖ‖² = Σₜₜ′ (gyₜ·gyₜ′)(hₜ·hₜ′)) yields only a whole-tensor
/// norm per example, at T² cost, not the element-wise squares; the products here cost T·r·(in + out) per example.
/// </summary>
public static class PerExampleLoraGradients
{
    /// <summary>Both factors' per-example gradients; <paramref name="loraB"/> is the B factor (out, r), s is <paramref name="scale"/>.</summary>
    public static LoraGradientPair Compute(Tensor x, Tensor h, Tensor gy, Tensor loraB, double scale)
    {
        CheckShapes(x, h, gy, loraB);
        using var scope = NewDisposeScope();
        var (xx, hh, gg, bb) = (Upcast(x.detach()), Upcast(h.detach()), Upcast(gy.detach()), Upcast(loraB.detach()));
        // The thin rank-r products are laid out the way CPU GEMM runs them fastest: the rank as the small output dimension of
        // a "linear" (gy · (s·Bᵀ)ᵀ), and both per-example products as (r, T) @ (T, features), the wide side last.
        var scaledBt = bb.t().Times(scale).contiguous();                             // (r, out): s·Bᵀ
        var gh = functional.linear(gg, scaledBt);                                    // (batch, T, out) → (batch, T, r): s·Bᵀ gy per token
        var gradA = gh.transpose(1, 2).bmm(xx);                                      // (batch, r, T) @ (batch, T, in) → (batch, r, in)
        var gradB = hh.Times(scale).transpose(1, 2).bmm(gg).transpose(1, 2);           // (batch, r, T) @ (batch, T, out) → (batch, r, out) → (batch, out, r)
        return new LoraGradientPair(gradA.MoveToOuterDisposeScope(), gradB.MoveToOuterDisposeScope());
    }

    private static Tensor Upcast(Tensor t) =>
        t.dtype is ScalarType.Float16 or ScalarType.BFloat16 ? t.to(ScalarType.Float32) : t;

    private static void CheckShapes(Tensor x, Tensor h, Tensor gy, Tensor loraB)
    {
        if (x.dim() != 3 || h.dim() != 3 || gy.dim() != 3 || loraB.dim() != 2)
            throw new ArgumentException(
                $"expected x (batch, T, in), h (batch, T, r), gy (batch, T, out) and B (out, r); got x {Shape(x)}, " +
                $"h {Shape(h)}, gy {Shape(gy)}, B {Shape(loraB)}");
        var (batch, tokens) = (x.shape[0], x.shape[1]);
        var (outFeatures, rank) = (loraB.shape[0], loraB.shape[1]);
        if (h.shape[0] != batch || gy.shape[0] != batch || h.shape[1] != tokens || gy.shape[1] != tokens
            || h.shape[2] != rank || gy.shape[2] != outFeatures)
            throw new ArgumentException(
                $"inconsistent LoRA shapes: x {Shape(x)}, h {Shape(h)}, gy {Shape(gy)}, B {Shape(loraB)}; " +
                "h must be (batch, T, r) and gy (batch, T, out) for B (out, r)");
    }

    private static string Shape(Tensor t) => $"({string.Join(", ", t.shape)})";
}

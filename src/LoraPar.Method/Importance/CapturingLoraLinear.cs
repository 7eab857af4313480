using LoraPar.Adapters;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Method.Importance;

/// <summary>What one LoRA layer saw and produced in the last forward pass.</summary>
/// <param name="Input">x (B, T, in): the branch input, in the adapter dtype (dropout-free).</param>
/// <param name="Rank">h = x Aᵀ (B, T, r): the rank-r activations.</param>
/// <param name="Output">y = s · h Bᵀ (B, T, out): the scaled LoRA branch output, part of the autograd graph.</param>
public sealed record LoraCapture(Tensor Input, Tensor Rank, Tensor Output);

/// <summary>
/// A stand-in for a <see cref="LoraLinear"/> while importance is scored: computes exactly what the LoRA layer computes
/// without dropout, base(x) + s·(x Aᵀ)Bᵀ, from the layer's own base layer and factors, and records x, h and the branch
/// output y of the last forward (<see cref="Last"/>) so that one backward of Σₖ Lₖ to every y gives each example's
/// ∂Lₖ/∂A and ∂Lₖ/∂B (<see cref="PerExampleLoraGradients"/>).
/// The factors enter as detached views of the adapter's parameters marked requires-grad (<see cref="A"/>, <see cref="B"/>):
/// the branch output is in the graph whether or not the adapter's parameters require grad, and nothing is ever accumulated
/// into the adapter. The wrapper holds no module in a field (TorchSharp disposes a module's module-typed fields with it), so
/// disposing it frees only those views; captured tensors belong to the caller's dispose scope.
/// </summary>
public sealed class CapturingLoraLinear : Module<Tensor, Tensor>
{
    private readonly Func<Tensor, Tensor> baseForward;

    /// <summary>Wraps <paramref name="source"/>, which must be enabled and unmerged (otherwise its branch is not computed).</summary>
    public CapturingLoraLinear(LoraLinear source) : base(nameof(CapturingLoraLinear))
    {
        if (source.Merged || !source.Enabled)
            throw new InvalidOperationException(
                $"cannot score a LoRA layer that is {(source.Merged ? "merged" : "disabled")}: unmerge and enable the adapters before scoring");
        var baseLayer = source.BaseLayer;
        baseForward = x => baseLayer.call(x);
        Scaling = source.Scaling;
        A = Leaf(source.LoraA);
        B = Leaf(source.LoraB);
    }

    /// <summary>A view of the adapter's A (r, in) that requires grad.</summary>
    public Tensor A { get; }

    /// <summary>A view of the adapter's B (out, r) that requires grad.</summary>
    public Tensor B { get; }

    /// <summary>The scaling s of the branch.</summary>
    public double Scaling { get; }

    /// <summary>The capture of the last forward, or null before the first one or after <see cref="Clear"/>.</summary>
    public LoraCapture? Last { get; private set; }

    public override Tensor forward(Tensor x)
    {
        var result = baseForward(x);                                             // (B, T, out)
        var input = x.to_type(A.dtype);                                          // (B, T, in)
        var rank = functional.linear(input, A);                                  // (B, T, in) → (B, T, r)
        var output = functional.linear(rank, B).mul(Scaling);                    // (B, T, r) → (B, T, out)
        Last = new LoraCapture(input, rank, output);
        return result.add(output.to_type(result.dtype));
    }

    /// <summary>Forgets the last capture (its tensors stay owned by the scope they were made in).</summary>
    public void Clear() => Last = null;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Last = null;
            A.Dispose();
            B.Dispose();
        }
        base.Dispose(disposing);
    }

    private static Tensor Leaf(Tensor parameter)
    {
        using var noGrad = no_grad();
        return parameter.detach().requires_grad_(true).DetachFromDisposeScope();
    }
}

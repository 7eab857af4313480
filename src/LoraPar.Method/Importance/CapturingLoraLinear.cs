using LoraPar.Adapters;
using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Method.Importance;

/// <summary>What one LoRA layer saw and produced in the last forward pass.</summary>
/// <param name="Input">x (B, T, in): the branch input, in the adapter dtype (dropout-free).</param>
/// <param name="Rank">h = x Aᵀ (B, T, r): the rank-r activations (unscaled).</param>
/// <param name="Output">
/// A tensor of the autograd graph whose gradient is ∂L/∂y (B, T, out), y = s · h Bᵀ the LoRA branch output: y itself
/// (<see cref="LoraCaptureForm.SeparateBranch"/>), or the layer output base(x) + y, which has the same gradient
/// (<see cref="LoraCaptureForm.MergedWeight"/>).
/// </param>
public sealed record LoraCapture(Tensor Input, Tensor Rank, Tensor Output);

/// <summary>
/// A stand-in for a <see cref="LoraLinear"/> while importance is scored: computes what the LoRA layer computes without
/// dropout, base(x) + s·(x Aᵀ)Bᵀ, from the layer's own base layer and factors, in one of two <see cref="LoraCaptureForm"/>s,
/// and records x, h and a tensor carrying ∂L/∂y of the last forward (<see cref="Last"/>) so that one backward of Σₖ Lₖ gives
/// each example's ∂Lₖ/∂A and ∂Lₖ/∂B (<see cref="PerExampleLoraGradients"/>).
/// Nothing is ever accumulated into the adapter: the factors enter as detached views (<see cref="A"/>, <see cref="B"/>;
/// marked requires-grad in the separate form so that the branch is in the graph even where x is not), and the merged
/// weight is a copy. The wrapper holds no module in a field (TorchSharp disposes a module's module-typed fields with it),
/// so disposing it frees only its own views and copies. The captured tensors belong to the wrapper (the decoder layer's
/// dispose scope would free them when the layer returns) until <see cref="Clear"/>, the next forward or disposal.
/// </summary>
public sealed class CapturingLoraLinear : Module<Tensor, Tensor>
{
    private readonly Func<Tensor, Tensor> baseForward;
    private readonly Tensor? mergedWeight;
    private readonly Tensor? bias;

    /// <summary>
    /// Wraps <paramref name="source"/>, which must be enabled and unmerged (otherwise its branch is not computed), in
    /// <paramref name="form"/> (by default the one <see cref="LoraCaptureForms.For"/> picks for the base weight's dtype).
    /// </summary>
    public CapturingLoraLinear(LoraLinear source, LoraCaptureForm? form = null) : base(nameof(CapturingLoraLinear))
    {
        if (source.Merged || !source.Enabled)
            throw new InvalidOperationException(
                $"cannot score a LoRA layer that is {(source.Merged ? "merged" : "disabled")}: unmerge and enable the adapters before scoring");
        var baseLayer = source.BaseLayer;
        baseForward = x => baseLayer.call(x);
        Scaling = source.Scaling;
        Form = form ?? LoraCaptureForms.For(baseLayer.weight.dtype);
        var separate = Form == LoraCaptureForm.SeparateBranch;
        A = View(source.LoraA, requiresGrad: separate);
        B = View(source.LoraB, requiresGrad: separate);
        if (!separate)
        {
            mergedWeight = Merge(baseLayer.weight, source.DeltaWeight());
            bias = baseLayer.bias is { } b ? View(b, requiresGrad: false) : null;
        }
    }

    /// <summary>How this wrapper computes the layer.</summary>
    public LoraCaptureForm Form { get; }

    /// <summary>A view of the adapter's A (r, in).</summary>
    public Tensor A { get; }

    /// <summary>A view of the adapter's B (out, r).</summary>
    public Tensor B { get; }

    /// <summary>The scaling s of the branch.</summary>
    public double Scaling { get; }

    /// <summary>The capture of the last forward, or null before the first one or after <see cref="Clear"/>.</summary>
    public LoraCapture? Last { get; private set; }

    public override Tensor forward(Tensor x) => mergedWeight is null ? SeparateForward(x) : MergedForward(x, mergedWeight);

    /// <summary>Frees the last capture.</summary>
    public void Clear()
    {
        if (Last is { } last)
            foreach (var t in new[] { last.Input, last.Rank, last.Output }) t.Dispose();
        Last = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Clear();
            A.Dispose();
            B.Dispose();
            mergedWeight?.Dispose();
            bias?.Dispose();
        }
        base.Dispose(disposing);
    }

    private Tensor SeparateForward(Tensor x)
    {
        var result = baseForward(x);                                             // (B, T, out)
        var input = x.to_type(A.dtype);                                          // (B, T, in)
        var rank = functional.linear(input, A);                                  // (B, T, in) → (B, T, r)
        var output = functional.linear(rank, B).Times(Scaling);                  // (B, T, r) → (B, T, out)
        var sum = result.Plus(output.to_type(result.dtype));
        Capture(input, rank, output);
        return sum;
    }

    private Tensor MergedForward(Tensor x, Tensor weight)
    {
        // Where nothing upstream requires grad (the first layer's q, k, v), a leaf copy of x puts the output in the graph;
        // its own gradient is never requested, so autograd skips that product.
        var entry = x.requires_grad ? x : x.detach().requires_grad_(true);
        var output = functional.linear(entry, weight, bias);                     // (B, T, in) → (B, T, out)
        var input = x.detach().to_type(A.dtype);                                 // (B, T, in)
        Tensor rank;
        using (no_grad()) rank = functional.linear(input, A);                    // (B, T, in) → (B, T, r)
        Capture(input, rank, output);
        return output;
    }

    /// <summary>Keeps this forward's tensors past the enclosing dispose scope, freeing the previous capture.</summary>
    private void Capture(Tensor input, Tensor rank, Tensor output)
    {
        Clear();
        Last = new LoraCapture(input.DetachFromDisposeScope(), rank.DetachFromDisposeScope(), output.DetachFromDisposeScope());
    }

    /// <summary>W + ΔW in W's dtype and memory layout (the base weight may be stored transposed), outside any dispose scope.</summary>
    private static Tensor Merge(Tensor weight, Tensor delta)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var merged = empty_like(weight).copy_(weight).PlusInPlace(delta);         // (out, in), strides of W
        delta.Dispose();
        return merged.DetachFromDisposeScope();
    }

    private static Tensor View(Tensor parameter, bool requiresGrad)
    {
        using var noGrad = no_grad();
        return parameter.detach().requires_grad_(requiresGrad).DetachFromDisposeScope();
    }
}

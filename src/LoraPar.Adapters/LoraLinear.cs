using LoraPar.Model.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Adapters;

/// <summary>
/// A Linear with a low-rank adapter (PEFT's <c>lora.Linear</c>): forward = base(x) + B(A(dropout(x)))·scaling, with
/// <c>lora_A</c> (r, in) and <c>lora_B</c> (out, r) as parameters. Submodule and parameter names follow PEFT
/// (<c>base_layer</c>, <c>lora_A</c>, <c>lora_B</c>, <c>lora_dropout</c>). The adapter can be switched off
/// (<see cref="Enabled"/>), which gives the base layer through the same weights, and merged into the base weight.
/// </summary>
public sealed class LoraLinear : Module<Tensor, Tensor>
{
    [ComponentName(Name = "base_layer")]
    private readonly Linear baseLayer;

    [ComponentName(Name = "lora_A")]
    private readonly Parameter loraA;

    [ComponentName(Name = "lora_B")]
    private readonly Parameter loraB;

    [ComponentName(Name = "lora_dropout")]
    private readonly Module<Tensor, Tensor> loraDropout;

    private bool enabled = true;

    /// <summary>Wraps <paramref name="baseLayer"/> with factors <paramref name="a"/> (r, in) and <paramref name="b"/> (out, r), which become parameters.</summary>
    public LoraLinear(Linear baseLayer, Tensor a, Tensor b, double scaling, double dropout) : base(nameof(LoraLinear))
    {
        var (outFeatures, inFeatures) = (baseLayer.out_features, baseLayer.in_features);
        if (a.dim() != 2 || b.dim() != 2 || a.shape[1] != inFeatures || b.shape[0] != outFeatures || a.shape[0] != b.shape[1])
            throw new ArgumentException(
                $"LoRA factors A [{string.Join(", ", a.shape)}] and B [{string.Join(", ", b.shape)}] do not fit a Linear {inFeatures} → {outFeatures}");
        this.baseLayer = baseLayer;
        loraA = OwnedParameter(a);
        loraB = OwnedParameter(b);
        loraDropout = dropout > 0 ? Dropout(dropout) : Identity();
        Rank = (int)a.shape[0];
        Scaling = scaling;
        RegisterComponents();
    }

    /// <summary>A parameter holding a copy of <paramref name="value"/>, outside any dispose scope (it lives as long as the module).</summary>
    private static Parameter OwnedParameter(Tensor value)
    {
        using var detached = value.detach();
        var parameter = new Parameter(detached.clone(), requires_grad: true);
        parameter.DetachFromDisposeScope();
        return parameter;
    }

    /// <summary>The wrapped base layer (its weight is the PiSSA/OLoRA residual where such an init was used).</summary>
    public Linear BaseLayer => baseLayer;

    /// <summary>A (r, in_features).</summary>
    public Parameter LoraA => loraA;

    /// <summary>B (out_features, r).</summary>
    public Parameter LoraB => loraB;

    /// <summary>Rank r.</summary>
    public int Rank { get; }

    /// <summary>alpha/r or alpha/√r.</summary>
    public double Scaling { get; }

    /// <summary>Whether the adapter weights are currently added into the base weight.</summary>
    public bool Merged { get; private set; }

    /// <summary>Whether the adapter contributes; switching it off while merged unmerges first (as PEFT does).</summary>
    public bool Enabled
    {
        get => enabled;
        set
        {
            if (!value && Merged) Unmerge();
            enabled = value;
        }
    }

    public override Tensor forward(Tensor x)
    {
        var result = baseLayer.forward(x);                                // (..., out)
        if (!enabled || Merged) return result;
        using var scope = NewDisposeScope();
        var h = loraDropout.forward(x.to_type(loraA.dtype));              // (..., in)
        var delta = functional.linear(functional.linear(h, loraA), loraB); // (..., in) → (..., r) → (..., out)
        return result.Plus(delta.Times(Scaling).to_type(result.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>ΔW = scaling · B·A (out, in) in the base weight's dtype, detached.</summary>
    public Tensor DeltaWeight()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var delta = loraB.matmul(loraA).Times(Scaling);                   // (out, r) @ (r, in) = (out, in)
        return delta.to_type(baseLayer.weight.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The weight this layer computes with: W + ΔW when enabled and unmerged, else W (a new tensor, detached).</summary>
    public Tensor EffectiveWeight()
    {
        using var noGrad = no_grad();
        if (!enabled || Merged) return baseLayer.weight.detach().clone();
        using var delta = DeltaWeight();
        return baseLayer.weight.detach().Plus(delta);
    }

    /// <summary>
    /// Merges as <see cref="Merge"/> does and returns a copy of the base weight from before, so <see cref="RestoreBase"/> can
    /// undo the merge bit for bit (<see cref="Unmerge"/> subtracts ΔW again, which leaves rounding behind).
    /// </summary>
    internal Tensor MergeKeepingBase()
    {
        using var noGrad = no_grad();
        var original = baseLayer.weight.detach().clone();
        Merge();
        return original;
    }

    /// <summary>Puts back the base weight <see cref="MergeKeepingBase"/> returned; forward uses the adapter path again.</summary>
    internal void RestoreBase(Tensor original)
    {
        using var noGrad = no_grad();
        baseLayer.weight.copy_(original);
        Merged = false;
    }

    /// <summary>Adds ΔW into the base weight in place; forward then skips the adapter path. The adapter must be enabled.</summary>
    public void Merge()
    {
        if (Merged) return;
        if (!enabled) throw new InvalidOperationException("cannot merge a disabled adapter: enable it first (a merged weight would otherwise ignore the switch)");
        using var noGrad = no_grad();
        using var delta = DeltaWeight();
        baseLayer.weight.PlusInPlace(delta);
        Merged = true;
    }

    /// <summary>Subtracts ΔW from the base weight again.</summary>
    public void Unmerge()
    {
        if (!Merged) return;
        using var noGrad = no_grad();
        using var delta = DeltaWeight();
        baseLayer.weight.sub_(delta);
        Merged = false;
    }
}

using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// How a <see cref="CapturingLoraLinear"/> computes its layer while importance is scored. Both give the same output and the
/// same ∂L/∂y (the gradient at the layer output equals the gradient at the LoRA branch output, since out = base(x) + y);
/// they differ in cost and in rounding.
/// </summary>
public enum LoraCaptureForm
{
    /// <summary>
    /// One matmul with the merged weight W + s·B·A, built once per session (one extra copy of the adapted base weights).
    /// No rank-r matmul is in the autograd graph: the backward has one node per layer instead of the branch's five, and on a
    /// CPU the thin rank-r products cost about as much as the base product. The output differs from the LoRA layer's by
    /// float rounding only where the weights are float32 or float64.
    /// </summary>
    MergedWeight,

    /// <summary>
    /// base(x) + s·(x Aᵀ)Bᵀ exactly as <see cref="LoraPar.Adapters.LoraLinear"/> computes it (bit-identical output). For
    /// half-precision base weights, where adding s·B·A into W would round most of the adapter's contribution away.
    /// </summary>
    SeparateBranch,
}

/// <summary>Chooses a <see cref="LoraCaptureForm"/>.</summary>
public static class LoraCaptureForms
{
    /// <summary>
    /// <see cref="LoraCaptureForm.MergedWeight"/> for float32/float64 base weights, <see cref="LoraCaptureForm.SeparateBranch"/>
    /// for anything narrower (float16, bfloat16).
    /// </summary>
    public static LoraCaptureForm For(ScalarType baseWeightType) =>
        baseWeightType is ScalarType.Float32 or ScalarType.Float64 ? LoraCaptureForm.MergedWeight : LoraCaptureForm.SeparateBranch;
}

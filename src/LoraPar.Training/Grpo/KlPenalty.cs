using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Grpo;

/// <summary>
/// The per-token KL estimate between the policy and the reference (Schulman's k3, as in the GRPO paper and TRL):
/// <c>k3 = exp(ref − logp) − (ref − logp) − 1</c>, which is ≥ 0, zero where the two agree, and unbiased for
/// KL(π_θ ‖ π_ref) when tokens are sampled from π_θ.
/// </summary>
public static class KlPenalty
{
    /// <summary>k3 per token; both inputs (B, T) log-probabilities of the sampled tokens; result (B, T).</summary>
    public static Tensor K3(Tensor referenceLogProbs, Tensor logProbs)
    {
        using var scope = NewDisposeScope();
        var delta = referenceLogProbs - logProbs;          // (B, T)
        var k3 = (delta.exp() - delta).Minus(1.0);         // (B, T)
        return k3.MoveToOuterDisposeScope();
    }
}

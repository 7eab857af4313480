using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Grpo;

/// <summary>The tensors of one GRPO loss evaluation, all on one device.</summary>
/// <param name="LogProbs">(B, T) log π_θ of the sampled completion tokens, with gradient.</param>
/// <param name="OldLogProbs">(B, T) log π_old from the rollout policy; null when each rollout is used once
/// (num_iterations = 1), where π_old = π_θ detached and the ratio is 1 with the policy-gradient slope.</param>
/// <param name="ReferenceLogProbs">(B, T) log π_ref (the stage-1 model); required when β ≠ 0.</param>
/// <param name="Advantages">(B) one advantage per completion.</param>
/// <param name="CompletionMask">(B, T) 1 for completion tokens that count, 0 for padding and masked truncations.</param>
public sealed record PolicyLossInputs(Tensor LogProbs, Tensor? OldLogProbs, Tensor? ReferenceLogProbs, Tensor Advantages, Tensor CompletionMask);

/// <summary>The loss to back-propagate and its diagnostics (token-level means over the completion mask).</summary>
/// <param name="Loss">Scalar loss (in the outer dispose scope of the caller).</param>
/// <param name="ClipFraction">Share of tokens whose clipped term was active: (ρ &lt; 1−ε and A &lt; 0) or (ρ &gt; 1+ε_high and A &gt; 0).</param>
/// <param name="LowClipFraction">Share with ρ &lt; 1−ε and A &lt; 0.</param>
/// <param name="HighClipFraction">Share with ρ &gt; 1+ε_high and A &gt; 0.</param>
/// <param name="MeanKl">Mean k3 over completion tokens (0 without a reference).</param>
/// <param name="MeanRatio">Mean ρ over completion tokens.</param>
public sealed record PolicyLossResult(Tensor Loss, double ClipFraction, double LowClipFraction, double HighClipFraction, double MeanKl, double MeanRatio);

/// <summary>
/// The GRPO objective as TRL implements it, per completion token t of completion i:
/// <code>
/// ρ_it = exp(log π_θ − log π_old)
/// l_it = −min(ρ_it · A_i, clip(ρ_it, 1 − ε, 1 + ε_high) · A_i) + β · k3_it,   k3 = exp(ref − logp) − (ref − logp) − 1
/// </code>
/// then reduced over the completion mask by <see cref="PolicyLossOptions.LossType"/> (see <see cref="LossAggregation"/>).
/// </summary>
public static class PolicyLoss
{
    /// <summary>Computes the loss and its diagnostics.</summary>
    public static PolicyLossResult Compute(PolicyLossInputs inputs, PolicyLossOptions options, AggregationScale scale)
    {
        Check(inputs, options);
        using var scope = NewDisposeScope();
        var logp = inputs.LogProbs;                                                    // (B, T)
        var old = inputs.OldLogProbs ?? logp.detach();                                 // (B, T)
        var advantages = inputs.Advantages.to_type(logp.dtype).unsqueeze(1);           // (B, 1)
        var mask = inputs.CompletionMask.to_type(logp.dtype);                          // (B, T)
        var ratio = (logp - old).exp();                                                // (B, T)
        using Scalar low = 1.0 - options.Epsilon, high = 1.0 + options.UpperEpsilon;
        var clipped = ratio.clamp(low, high);                                          // (B, T)
        var perToken = -minimum(ratio * advantages, clipped * advantages);             // (B, T)
        Tensor? kl = null;
        if (inputs.ReferenceLogProbs is { } reference)
        {
            kl = KlPenalty.K3(reference, logp);                                        // (B, T)
            if (options.Beta != 0.0) perToken = perToken.Plus(kl.Times(options.Beta));
        }
        var loss = LossAggregator.Aggregate(perToken, mask, options.LossType, scale);
        var d = Diagnose(ratio, advantages, kl, mask, options);
        return new PolicyLossResult(loss.MoveToOuterDisposeScope(), d.Clip, d.Low, d.High, d.Kl, d.Ratio);
    }

    private readonly record struct Diagnostics(double Clip, double Low, double High, double Kl, double Ratio);

    private static Diagnostics Diagnose(Tensor ratio, Tensor advantages, Tensor? kl, Tensor mask, PolicyLossOptions options)
    {
        using var noGrad = no_grad();
        using Scalar one = 1.0, zero = 0.0, lowEdge = 1.0 - options.Epsilon, highEdge = 1.0 + options.UpperEpsilon;
        var tokens = mask.sum().clamp_min(one);
        double MaskedMean(Tensor x) => (x.to_type(mask.dtype) * mask).sum().div(tokens).ToDouble();
        var low = ratio.lt(lowEdge).logical_and(advantages.lt(zero));                          // (B, T)
        var high = ratio.gt(highEdge).logical_and(advantages.gt(zero));                        // (B, T)
        return new Diagnostics(
            Clip: MaskedMean(low.logical_or(high)),
            Low: MaskedMean(low),
            High: MaskedMean(high),
            Kl: kl is null ? 0.0 : MaskedMean(kl.detach()),
            Ratio: MaskedMean(ratio.detach()));
    }

    private static void Check(PolicyLossInputs inputs, PolicyLossOptions options)
    {
        if (inputs.LogProbs.dim() != 2)
            throw new ArgumentException($"log-probs must be (B, T), got [{string.Join(", ", inputs.LogProbs.shape)}]", nameof(inputs));
        var shape = inputs.LogProbs.shape;
        void SameShape(Tensor? t, string name)
        {
            if (t is not null && !t.shape.SequenceEqual(shape))
                throw new ArgumentException($"{name} must have the log-probs' shape [{string.Join(", ", shape)}], got [{string.Join(", ", t.shape)}]", nameof(inputs));
        }
        SameShape(inputs.OldLogProbs, "old log-probs");
        SameShape(inputs.ReferenceLogProbs, "reference log-probs");
        SameShape(inputs.CompletionMask, "completion mask");
        if (inputs.Advantages.dim() != 1 || inputs.Advantages.shape[0] != shape[0])
            throw new ArgumentException($"advantages must be (B) = [{shape[0]}], got [{string.Join(", ", inputs.Advantages.shape)}]", nameof(inputs));
        if (options.Beta != 0.0 && inputs.ReferenceLogProbs is null)
            throw new ArgumentException($"β = {options.Beta} needs reference log-probs; pass them or set β = 0.", nameof(inputs));
        if (!(options.Epsilon >= 0 && options.Epsilon < 1 && options.UpperEpsilon >= 0))
            throw new ArgumentOutOfRangeException(nameof(options), $"need 0 <= ε < 1 and ε_high >= 0, got ε = {options.Epsilon}, ε_high = {options.UpperEpsilon}");
    }
}

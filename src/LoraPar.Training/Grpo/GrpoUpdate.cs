using LoraPar.Adapters.Masks;
using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using LoraPar.Training.Precision;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Training.Grpo;

/// <summary>What one GRPO optimizer step did.</summary>
/// <param name="Loss">The aggregated policy loss (NaN/∞ when the forward pass broke down).</param>
/// <param name="GradNorm">Norm of the active gradient elements before clipping.</param>
/// <param name="ClipFraction">Share of completion tokens whose clipped term was active.</param>
/// <param name="MeanKl">Mean k3 KL to the reference over completion tokens (0 with β = 0).</param>
/// <param name="Updated">Whether the weights were updated (false when the loss or gradient was not finite).</param>
internal sealed record GrpoStepOutcome(double Loss, double GradNorm, double ClipFraction, double MeanKl, bool Updated);

/// <summary>
/// One GRPO optimizer step on a rollout: per chunk, the policy's token log-probs with gradient (teacher forcing through the
/// same model), the clipped objective with the KL penalty (<see cref="PolicyLoss"/>), backward; then the active-element
/// gradient norm, clipping and the masked AdamW update. Nothing is written when the loss or the gradient is not finite.
/// </summary>
internal sealed class GrpoUpdate(LlamaForCausalLM model, IReadOnlyDictionary<string, Parameter> parameters, LoraMaskSet masks,
    MaskedAdamW optimizer, GrpoOptions options)
{
    public GrpoStepOutcome Run(Rollout rollout, double learningRate, DynamicLossScale scale)
    {
        optimizer.ZeroGrad();
        var aggregation = new Grpo.AggregationScale(options.MaxCompletionLength, rollout.Chunks.Count, rollout.LossTokens);
        double loss = 0, clip = 0, kl = 0;
        foreach (var chunk in rollout.Chunks)
        {
            using var scope = NewDisposeScope();
            var logProbs = SequenceScorer.TokenLogProbs(model, chunk.Batch);                                  // (B_c, C)
            var result = PolicyLoss.Compute(new PolicyLossInputs(logProbs, chunk.OldLogProbs, chunk.ReferenceLogProbs, chunk.Advantages, chunk.LossMask),
                options.Loss, aggregation);
            var value = (double)result.Loss.item<float>();
            loss += value;
            clip += result.ClipFraction / rollout.Chunks.Count;
            kl += result.MeanKl / rollout.Chunks.Count;
            if (!double.IsFinite(value)) return new GrpoStepOutcome(value, double.NaN, clip, kl, false);
            result.Loss.mul(scale.Scale).backward();
        }
        if (scale.Scale != 1.0) Unscale(scale.Scale);
        var norm = GradientClipping.ActiveNorm(parameters, masks);
        if (!double.IsFinite(norm)) return new GrpoStepOutcome(loss, norm, clip, kl, false);
        if (options.MaxGradNorm > 0) GradientClipping.ClipByGlobalNorm(parameters, masks, options.MaxGradNorm);
        optimizer.LearningRate = learningRate;
        optimizer.Step();
        return new GrpoStepOutcome(loss, norm, clip, kl, true);
    }

    private void Unscale(double scale)
    {
        using var noGrad = no_grad();
        foreach (var p in parameters.Values)
        {
            using var grad = p.grad;
            grad?.div_(scale);
        }
    }
}

using System.Diagnostics;
using LoraPar.Adapters.Masks;
using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Training.Loop;
using LoraPar.Training.Precision;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Training.Grpo;

/// <summary>What one GRPO optimizer step did.</summary>
/// <param name="Loss">The step's loss (sum of the micro-batch losses, each already divided as the aggregation says).</param>
/// <param name="GradNorm">Norm of the active gradient elements before clipping (NaN when the loss was not finite).</param>
/// <param name="Updated">Whether the optimizer updated the weights (false when the loss or the gradient was not finite).</param>
/// <param name="Kl">Mean k3 over the step's completion tokens (0 without a reference).</param>
/// <param name="ClipFraction">Share of completion tokens whose clipped term was active.</param>
/// <param name="MeanRatio">Mean ratio π_θ / π_old over the completion tokens.</param>
/// <param name="Seconds">Wall time of the forward, backward and update.</param>
internal sealed record GrpoStepOutcome(double Loss, double GradNorm, bool Updated, double Kl, double ClipFraction, double MeanRatio, double Seconds) : IStepOutcome;

/// <summary>
/// One optimizer step of masked GRPO over a rollout: for each micro-batch, teacher-forced log-probs of the completions with
/// gradient (train mode), the clipped policy loss with the k3 penalty against the reference, backward with the loss divided
/// as <see cref="PolicyLossOptions.LossType"/> says over the step's micro-batches (times the fp16 loss scale, divided
/// out again before the norm); then the gradient norm over the active elements, clipping, and the masked AdamW update.
/// The weights are untouched when anything is not finite.
/// </summary>
internal sealed class GrpoStep(LlamaForCausalLM model, IReadOnlyDictionary<string, Parameter> parameters, LoraMaskSet masks, MaskedAdamW optimizer,
    GrpoOptions options)
{
    /// <summary>Runs the step on <paramref name="rollout"/> at <paramref name="learningRate"/> under loss scale <paramref name="scale"/>.</summary>
    public GrpoStepOutcome Run(Rollout rollout, double learningRate, DynamicLossScale scale)
    {
        var watch = Stopwatch.StartNew();
        model.train();
        optimizer.ZeroGrad();
        var aggregation = new AggregationScale(options.MaxCompletionLength, rollout.MicroBatches.Count, rollout.MicroBatches.Sum(m => m.LossTokens));
        double loss = 0, kl = 0, clip = 0, ratio = 0;
        var tokens = Math.Max(1L, rollout.MicroBatches.Sum(m => m.LossTokens));
        foreach (var micro in rollout.MicroBatches)
        {
            using var scope = NewDisposeScope();
            var logProbs = SequenceScorer.TokenLogProbs(model, micro.Batch, options.LogProbTemperature);                // (B, C)
            var inputs = new PolicyLossInputs(logProbs, micro.OldLogProbs, micro.ReferenceLogProbs, micro.Advantages, micro.LossMask);
            var result = PolicyLoss.Compute(inputs, options.Loss, aggregation);
            var value = result.Loss.item<float>();
            loss += value;
            if (!double.IsFinite(value)) return new GrpoStepOutcome(loss, double.NaN, false, kl, clip, ratio, watch.Elapsed.TotalSeconds);
            (scale.Scale == 1.0 ? result.Loss : result.Loss.Times(scale.Scale)).backward();
            var share = (double)micro.LossTokens / tokens;
            kl += share * result.MeanKl;
            clip += share * result.ClipFraction;
            ratio += share * result.MeanRatio;
        }
        if (scale.Scale != 1.0) Unscale(scale.Scale);
        var norm = GradientClipping.ActiveNorm(parameters, masks);
        if (!double.IsFinite(norm)) return new GrpoStepOutcome(loss, norm, false, kl, clip, ratio, watch.Elapsed.TotalSeconds);
        if (options.MaxGradNorm > 0) GradientClipping.ClipByGlobalNorm(parameters, masks, options.MaxGradNorm);
        optimizer.LearningRate = learningRate;
        optimizer.Step();
        if (model.Device.type == DeviceType.CUDA) cuda.synchronize(model.Device);
        return new GrpoStepOutcome(loss, norm, true, kl, clip, ratio, watch.Elapsed.TotalSeconds);
    }

    private void Unscale(double scale)
    {
        using var noGrad = no_grad();
        using Scalar divisor = scale;
        foreach (var p in parameters.Values)
        {
            using var grad = p.grad;
            grad?.div_(divisor);
        }
    }
}

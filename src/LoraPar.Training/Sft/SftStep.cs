using LoraPar.Adapters.Masks;
using LoraPar.Model.Objectives;
using LoraPar.Model.Runtime;
using LoraPar.Training.Data;
using LoraPar.Training.Loop;
using LoraPar.Training.Precision;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Training.Sft;

/// <summary>What one optimizer step did.</summary>
/// <param name="Loss">Mean answer-token loss over the step's micro-batches (NaN/∞ when the forward pass broke down).</param>
/// <param name="GradNorm">Norm of the active gradient elements before clipping (NaN/∞ on overflow).</param>
/// <param name="RealTokens">Non-padding tokens processed.</param>
/// <param name="Updated">Whether the optimizer updated the weights (false when the loss or the gradient was not finite).</param>
internal sealed record SftStepOutcome(double Loss, double GradNorm, long RealTokens, bool Updated) : IStepOutcome;

/// <summary>
/// One optimizer step of masked SFT: forward and backward over the step's micro-batches with the loss normalised by the
/// answer tokens of the whole step (so accumulation equals one large batch), fp16 unscaling, the gradient norm over the
/// active elements, clipping, and the masked AdamW update. The weights are untouched when anything is not finite.
/// </summary>
internal sealed class SftStep(nn.Module<Tensor, Tensor> model, IReadOnlyDictionary<string, Parameter> parameters, LoraMaskSet masks,
    MaskedAdamW optimizer, double maxGradNorm, int padId, Device device)
{
    /// <summary>Runs the step over <paramref name="microBatches"/> of <paramref name="examples"/> at <paramref name="learningRate"/>.</summary>
    public SftStepOutcome Run(IReadOnlyList<AnswerExample> examples, IReadOnlyList<SftBatchPlan> microBatches, double learningRate, DynamicLossScale scale)
    {
        var answerTokens = Math.Max(1L, microBatches.Sum(plan => SftBatcher.AnswerTokens(examples, plan)));
        optimizer.ZeroGrad();
        double lossSum = 0;
        long realTokens = 0;
        foreach (var plan in microBatches)
        {
            using var scope = NewDisposeScope();
            var batch = SftBatcher.Collate(examples, plan, padId, device);
            var logits = model.call(batch.InputIds);                                           // (B, T, V)
            var (sum, _) = AnswerOnlyLoss.Sum(logits, batch.Labels);
            var value = (double)sum.item<float>();
            lossSum += value;
            realTokens += batch.RealTokens;
            if (!double.IsFinite(value)) return new SftStepOutcome(value, double.NaN, realTokens, false);
            sum.Times(scale.Scale / answerTokens).backward();
        }
        if (scale.Scale != 1.0) Unscale(scale.Scale);
        var norm = GradientClipping.ActiveNorm(parameters, masks);
        if (!double.IsFinite(norm)) return new SftStepOutcome(lossSum / answerTokens, norm, realTokens, false);
        if (maxGradNorm > 0) GradientClipping.ClipByGlobalNorm(parameters, masks, maxGradNorm);
        optimizer.LearningRate = learningRate;
        optimizer.Step();
        return new SftStepOutcome(lossSum / answerTokens, norm, realTokens, true);
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

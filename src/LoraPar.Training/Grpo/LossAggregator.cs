using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Grpo;

/// <summary>How many micro-batches and tokens one optimizer step spans, which <see cref="LossAggregation"/> divides by.</summary>
/// <param name="MaxCompletionLength">L in <see cref="LossAggregation.DrGrpo"/>: the configured maximum completion length.</param>
/// <param name="GradientAccumulationSteps">G: micro-batches per optimizer step (1 without accumulation).</param>
/// <param name="GlobalCompletionTokens">N in <see cref="LossAggregation.Dapo"/>: completion tokens over all G micro-batches;
/// null means "this micro-batch's tokens", allowed only when G = 1.</param>
public sealed record AggregationScale(int MaxCompletionLength, int GradientAccumulationSteps = 1, double? GlobalCompletionTokens = null);

/// <summary>Reduces a per-token loss to a scalar by a <see cref="LossAggregation"/> (formulas on its members).</summary>
public static class LossAggregator
{
    /// <summary>
    /// The scalar loss. <paramref name="perTokenLoss"/> (B, T); <paramref name="mask"/> (B, T), 1 for completion tokens
    /// and 0 for padding or truncated tails (bool or floating).
    /// </summary>
    public static Tensor Aggregate(Tensor perTokenLoss, Tensor mask, LossAggregation kind, AggregationScale scale)
    {
        if (scale.GradientAccumulationSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(scale), scale.GradientAccumulationSteps, "gradient accumulation steps must be at least 1");
        using var scope = NewDisposeScope();
        var m = mask.to_type(perTokenLoss.dtype);                              // (B, T)
        var masked = perTokenLoss * m;                                         // (B, T)
        double accumulation = scale.GradientAccumulationSteps;
        using Scalar one = 1.0;
        var loss = kind switch
        {
            LossAggregation.Grpo => (masked.sum(dim: 1) / m.sum(dim: 1).clamp_min(one)).mean().Over(accumulation),   // (B) → ()
            LossAggregation.Bnpo => (masked.sum() / m.sum().clamp_min(one)).Over(accumulation),
            LossAggregation.DrGrpo => masked.sum().Over((double)perTokenLoss.shape[0] * DrGrpoLength(scale)).Over(accumulation),
            LossAggregation.Dapo => masked.sum() / DapoTokens(m, scale),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        return loss.MoveToOuterDisposeScope();
    }

    private static double DrGrpoLength(AggregationScale scale) => scale.MaxCompletionLength >= 1
        ? scale.MaxCompletionLength
        : throw new ArgumentOutOfRangeException(nameof(scale), scale.MaxCompletionLength, "dr_grpo needs the maximum completion length (at least 1)");

    private static Tensor DapoTokens(Tensor mask, AggregationScale scale)
    {
        if (scale.GlobalCompletionTokens is { } n) return tensor(Math.Max(1.0, n), dtype: mask.dtype, device: mask.device);
        if (scale.GradientAccumulationSteps != 1)
            throw new ArgumentException("dapo with gradient accumulation needs the completion-token count of the whole accumulated batch (GlobalCompletionTokens).", nameof(scale));
        using Scalar one = 1.0;
        return mask.sum().clamp_min(one);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// The masked cross-entropy of paper §3.3, per example: only response tokens count, prompt and padding are masked.
/// Labels follow the Hugging Face convention: (B, T) with the token id at response positions and <see cref="IgnoreIndex"/>
/// elsewhere; position t's logits predict label t + 1. For example k,
/// <code>
/// Lₖ = (1 / nₖ) Σ_{t : labels[k, t+1] ≠ −100} −log softmax(logits[k, t])[labels[k, t+1]],   nₖ = #{t : labels[k, t+1] ≠ −100}
/// </code>
/// Examples are independent, so ∂(Σₖ Lₖ)/∂(anything of row k) = ∂Lₖ/∂(that): one backward of the sum serves every
/// example's own gradient. Computed in float32 whatever the logits' dtype; a row without response tokens has loss 0.
/// </summary>
public static class AnswerOnlyLoss
{
    /// <summary>The label of positions that do not count (PyTorch's and Hugging Face's −100).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>Per-example mean losses (B) of <paramref name="logits"/> (B, T, V) against <paramref name="labels"/> (B, T) int64.</summary>
    public static Tensor PerExample(Tensor logits, Tensor labels)
    {
        Check(logits, labels);
        using var scope = NewDisposeScope();
        long batch = logits.shape[0], length = logits.shape[1], vocab = logits.shape[2];
        if (length < 2) return zeros([batch], ScalarType.Float32, logits.device).MoveToOuterDisposeScope();
        var predicted = logits.narrow(1, 0, length - 1).to_type(ScalarType.Float32).reshape(batch * (length - 1), vocab); // (B·(T−1), V)
        var targets = labels.narrow(1, 1, length - 1);                                                                    // (B, T−1)
        var tokenLoss = nn.functional.cross_entropy(predicted, targets.reshape(batch * (length - 1)),
            ignore_index: IgnoreIndex, reduction: nn.Reduction.None).view(batch, length - 1);                           // (B, T−1), 0 where ignored
        var counts = targets.ne(IgnoreIndex).sum(dim: 1).clamp_min(1).to_type(ScalarType.Float32);                       // (B)
        return (tokenLoss.sum(dim: 1) / counts).MoveToOuterDisposeScope();                                               // (B)
    }

    private static void Check(Tensor logits, Tensor labels)
    {
        if (logits.dim() != 3)
            throw new ArgumentException($"logits must be (B, T, V), got ({string.Join(", ", logits.shape)})", nameof(logits));
        if (labels.dim() != 2 || labels.shape[0] != logits.shape[0] || labels.shape[1] != logits.shape[1])
            throw new ArgumentException(
                $"labels must be (B, T) = ({logits.shape[0]}, {logits.shape[1]}), got ({string.Join(", ", labels.shape)})", nameof(labels));
        if (labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"labels must be int64, got {labels.dtype}", nameof(labels));
    }
}

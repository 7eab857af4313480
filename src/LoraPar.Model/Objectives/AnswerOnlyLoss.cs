using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Objectives;

/// <summary>The summed answer-token cross-entropy of a batch and the number of answer tokens it covers.</summary>
/// <param name="Sum">Scalar float32 Σ −log p(label) over answer tokens (with gradient when the logits have one).</param>
/// <param name="Tokens">Number of answer tokens (labels ≠ <see cref="AnswerOnlyLoss.IgnoreIndex"/> after the shift).</param>
public sealed record AnswerLossSum(Tensor Sum, long Tokens);

/// <summary>
/// Causal-LM cross-entropy on answer tokens only (paper §3.3: "prompt tokens masked", "we focus only on output
/// positions"), with Hugging Face's label convention: <c>labels</c> (B, T) has the shape of the input ids and holds the
/// token id at answer positions and <see cref="IgnoreIndex"/> at prompt and padding positions. Position t's logits
/// predict label t + 1:
/// <code>
/// L = Σ_{t : labels[t+1] ≠ −100} −log softmax(logits[t])[labels[t+1]]      (Sum; Mean = L / #{t : labels[t+1] ≠ −100})
/// Lₖ = (1 / nₖ) Σ_{t : labels[k, t+1] ≠ −100} −log softmax(logits[k, t])[labels[k, t+1]]   (PerExample, row k; nₖ its count)
/// </code>
/// Examples are independent, so ∂(Σₖ Lₖ)/∂(anything of row k) = ∂Lₖ/∂(that): one backward of the per-example sum serves
/// every example's own gradient. Computed in float32 whatever the logits' dtype; no answer token means loss 0.
/// </summary>
public static class AnswerOnlyLoss
{
    /// <summary>The label of positions that do not count (PyTorch's and Hugging Face's −100).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>The summed loss and the answer-token count of <paramref name="logits"/> (B, T, V) against <paramref name="labels"/> (B, T).</summary>
    public static AnswerLossSum Sum(Tensor logits, Tensor labels)
    {
        Check(logits, labels);
        using var scope = NewDisposeScope();
        if (logits.shape[1] < 2) return new AnswerLossSum(zeros([], ScalarType.Float32, logits.device).MoveToOuterDisposeScope(), 0);
        var (predicted, targets) = Shifted(logits, labels);
        var sum = nn.functional.cross_entropy(predicted, targets.flatten(), ignore_index: IgnoreIndex, reduction: nn.Reduction.Sum);
        using Scalar ignored = IgnoreIndex;
        var tokens = targets.ne(ignored).sum().item<long>();
        return new AnswerLossSum(sum.MoveToOuterDisposeScope(), tokens);
    }

    /// <summary>The mean loss per answer token (0 when the batch has no answer token).</summary>
    public static Tensor Mean(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (sum, tokens) = Sum(logits, labels);
        using Scalar count = Math.Max(1, tokens);
        return sum.div(count).MoveToOuterDisposeScope();
    }

    /// <summary>Per-example mean losses (B) of <paramref name="logits"/> (B, T, V) against <paramref name="labels"/> (B, T); a row without answer tokens has loss 0.</summary>
    public static Tensor PerExample(Tensor logits, Tensor labels)
    {
        Check(logits, labels);
        using var scope = NewDisposeScope();
        long batch = logits.shape[0], length = logits.shape[1];
        if (length < 2) return zeros([batch], ScalarType.Float32, logits.device).MoveToOuterDisposeScope();
        var (predicted, targets) = Shifted(logits, labels);
        var tokenLoss = nn.functional.cross_entropy(predicted, targets.flatten(),
            ignore_index: IgnoreIndex, reduction: nn.Reduction.None).view(batch, length - 1);                     // (B, T−1), 0 where ignored
        using Scalar ignored = IgnoreIndex, one = 1;
        var counts = targets.ne(ignored).sum(dim: 1).clamp_min(one).to_type(ScalarType.Float32);                   // (B)
        return (tokenLoss.sum(dim: 1) / counts).MoveToOuterDisposeScope();                                         // (B)
    }

    /// <summary>
    /// Labels for one sequence: <see cref="IgnoreIndex"/> for the first <paramref name="promptLength"/> positions, the token
    /// ids for the next <paramref name="responseLength"/>, and <see cref="IgnoreIndex"/> for <paramref name="padding"/> more.
    /// </summary>
    public static long[] Labels(IReadOnlyList<int> ids, int promptLength, int responseLength, int padding)
    {
        if (promptLength + responseLength > ids.Count)
            throw new ArgumentException($"prompt {promptLength} + response {responseLength} exceed the {ids.Count} ids", nameof(ids));
        var labels = new long[promptLength + responseLength + padding];
        Array.Fill(labels, IgnoreIndex);
        for (var t = promptLength; t < promptLength + responseLength; t++) labels[t] = ids[t];
        return labels;
    }

    /// <summary>The float32 logits of positions 0 … T−2 as (B·(T−1), V) and the labels they predict, positions 1 … T−1, as (B, T−1).</summary>
    private static (Tensor Predicted, Tensor Targets) Shifted(Tensor logits, Tensor labels)
    {
        long batch = logits.shape[0], length = logits.shape[1], vocab = logits.shape[2];
        var predicted = logits.narrow(1, 0, length - 1).to_type(ScalarType.Float32).reshape(batch * (length - 1), vocab); // (B·(T−1), V)
        var targets = labels.narrow(1, 1, length - 1);                                                                    // (B, T−1)
        return (predicted, targets);
    }

    private static void Check(Tensor logits, Tensor labels)
    {
        if (logits.dim() != 3)
            throw new ArgumentException($"logits must be (B, T, V), got [{string.Join(", ", logits.shape)}]", nameof(logits));
        if (labels.dim() != 2 || labels.shape[0] != logits.shape[0] || labels.shape[1] != logits.shape[1])
            throw new ArgumentException($"labels must be (B, T) = [{logits.shape[0]}, {logits.shape[1]}], got [{string.Join(", ", labels.shape)}]", nameof(labels));
        if (labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"labels must be int64, got {labels.dtype}", nameof(labels));
    }
}

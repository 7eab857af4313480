using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Sft;

/// <summary>The summed answer-token cross-entropy of a batch and the number of answer tokens it covers.</summary>
/// <param name="Sum">Scalar float32 Σ −log p(label) over answer tokens (with gradient when the logits have one).</param>
/// <param name="Tokens">Number of answer tokens (labels ≠ <see cref="AnswerOnlyLoss.IgnoreIndex"/> after the shift).</param>
public sealed record AnswerLossSum(Tensor Sum, long Tokens);

/// <summary>
/// Causal-LM cross-entropy on answer tokens only (paper §3.3: "prompt tokens masked"), with Hugging Face's label
/// convention: <c>labels</c> has the shape of the input ids and holds the token id at answer positions and
/// <see cref="IgnoreIndex"/> at prompt and padding positions. Position t's logits predict label t + 1:
/// <code>
/// L = Σ_{t : labels[t+1] ≠ −100} −log softmax(logits[t])[labels[t+1]]      (sum)
/// mean = L / #{t : labels[t+1] ≠ −100}
/// </code>
/// Computed in float32 whatever the logits' dtype.
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
        long batch = logits.shape[0], length = logits.shape[1], vocab = logits.shape[2];
        if (length < 2) return new AnswerLossSum(zeros([], ScalarType.Float32, logits.device).MoveToOuterDisposeScope(), 0);
        var predicted = logits.narrow(1, 0, length - 1).to_type(ScalarType.Float32).reshape(batch * (length - 1), vocab); // (B·(T−1), V)
        var targets = labels.narrow(1, 1, length - 1).reshape(batch * (length - 1));                                      // (B·(T−1))
        var sum = nn.functional.cross_entropy(predicted, targets, ignore_index: IgnoreIndex, reduction: nn.Reduction.Sum);
        var tokens = targets.ne(IgnoreIndex).sum().item<long>();
        return new AnswerLossSum(sum.MoveToOuterDisposeScope(), tokens);
    }

    /// <summary>The mean loss per answer token (0 when the batch has no answer token).</summary>
    public static Tensor Mean(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (sum, tokens) = Sum(logits, labels);
        return sum.div(Math.Max(1, tokens)).MoveToOuterDisposeScope();
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

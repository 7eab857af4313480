using LoraPar.Model.Objectives;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// Answer examples laid out for one forward pass: prompt + response per row, right-padded. Right padding needs no
/// attention mask: under the causal mask a real token never sees the padding after it, and padding carries no label,
/// so its positions get zero gradient.
/// </summary>
/// <param name="InputIds">(B, T) int64 token ids, padding at the right.</param>
/// <param name="Labels">(B, T) int64: token ids at response positions, <see cref="AnswerOnlyLoss.IgnoreIndex"/> at prompt and padding.</param>
public sealed record AnswerBatch(Tensor InputIds, Tensor Labels)
{
    /// <summary>Rows B.</summary>
    public long Size => InputIds.shape[0];

    /// <summary>Collates <paramref name="examples"/> (each with a prompt and a response token) on <paramref name="device"/>.</summary>
    public static AnswerBatch Collate(IReadOnlyList<AnswerExample> examples, int padId, Device device)
    {
        if (examples.Count == 0) throw new ArgumentException("a batch needs at least one example", nameof(examples));
        if (examples.Any(e => e.PromptIds.Count == 0 || e.ResponseIds.Count == 0))
            throw new ArgumentException("every example needs a prompt token and a response token (see AnswerExample.Fitted)", nameof(examples));
        int rows = examples.Count, width = examples.Max(e => e.Length);
        var ids = new long[rows * width];
        var labels = new long[rows * width];
        Array.Fill(ids, padId);
        Array.Fill(labels, AnswerOnlyLoss.IgnoreIndex);
        for (var r = 0; r < rows; r++)
        {
            var (prompt, response) = (examples[r].PromptIds, examples[r].ResponseIds);
            for (var t = 0; t < prompt.Count; t++) ids[r * width + t] = prompt[t];
            for (var t = 0; t < response.Count; t++)
            {
                ids[r * width + prompt.Count + t] = response[t];
                labels[r * width + prompt.Count + t] = response[t];
            }
        }
        return new AnswerBatch(
            tensor(ids, [rows, width], ScalarType.Int64).to(device),       // (B, T)
            tensor(labels, [rows, width], ScalarType.Int64).to(device));   // (B, T)
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Generation;

/// <summary>
/// Prompt + completion pairs laid out for teacher forcing: prompts left-padded to P columns, completions right-padded to
/// C columns after them, so completion token j of every row sits in column P + j.
/// </summary>
/// <param name="InputIds">(B, P + C) int64.</param>
/// <param name="AttentionMask">(B, P + C) bool, false on padding.</param>
/// <param name="CompletionMask">(B, C) bool, true on real completion tokens.</param>
/// <param name="PromptLength">P.</param>
public sealed record CompletionBatch(Tensor InputIds, Tensor AttentionMask, Tensor CompletionMask, long PromptLength)
{
    /// <summary>C, the completion columns.</summary>
    public long CompletionLength => CompletionMask.shape[1];

    /// <summary>Lays out <paramref name="prompts"/> (each non-empty) and <paramref name="completions"/> on <paramref name="device"/>.</summary>
    public static CompletionBatch Create(IReadOnlyList<IReadOnlyList<int>> prompts, IReadOnlyList<IReadOnlyList<int>> completions, int padId, Device device)
    {
        if (prompts.Count != completions.Count) throw new ArgumentException("one completion per prompt is needed", nameof(completions));
        if (prompts.Count == 0 || prompts.Any(p => p.Count == 0))
            throw new ArgumentException("every prompt needs at least one token: the first completion token is predicted from it", nameof(prompts));
        int rows = prompts.Count, p = prompts.Max(x => x.Count), c = Math.Max(1, completions.Max(x => x.Count)), width = p + c;
        var ids = new long[rows * width];
        var valid = new bool[rows * width];
        var scored = new bool[rows * c];
        for (var r = 0; r < rows; r++)
        {
            var pad = p - prompts[r].Count;
            for (var col = 0; col < width; col++)
            {
                var j = col - p;
                var (id, real) = col < p
                    ? (col >= pad ? (prompts[r][col - pad], true) : (padId, false))
                    : (j < completions[r].Count ? (completions[r][j], true) : (padId, false));
                ids[r * width + col] = id;
                valid[r * width + col] = real;
                if (j >= 0) scored[r * c + j] = real;
            }
        }
        return new CompletionBatch(
            torch.tensor(ids, device: device).view(rows, width),        // (B, P + C)
            torch.tensor(valid, device: device).view(rows, width),      // (B, P + C)
            torch.tensor(scored, device: device).view(rows, c),         // (B, C)
            p);
    }
}

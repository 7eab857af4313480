using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Generation;

/// <summary>
/// Prompts of different lengths left-padded into one (B, T) batch, so that every row's last token sits in the last
/// column and generated tokens share columns. Padding keys are masked out and positions count real tokens only.
/// </summary>
/// <param name="InputIds">(B, T) int64, padding first.</param>
/// <param name="KeyValid">(B, T) bool, false on padding.</param>
/// <param name="PositionIds">(B, T) int64: 0 at each row's first real token (padding gets 0 too).</param>
/// <param name="Lengths">Real tokens per row.</param>
public sealed record PromptBatch(Tensor InputIds, Tensor KeyValid, Tensor PositionIds, IReadOnlyList<int> Lengths)
{
    /// <summary>Whether any row is padded.</summary>
    public bool HasPadding => Lengths.Any(l => l != Lengths.Max());

    /// <summary>Left-pads <paramref name="prompts"/> with <paramref name="padId"/> onto <paramref name="device"/>.</summary>
    public static PromptBatch Create(IReadOnlyList<IReadOnlyList<int>> prompts, int padId, Device device)
    {
        if (prompts.Count == 0 || prompts.Any(p => p.Count == 0))
            throw new ArgumentException("every prompt needs at least one token (a BOS at least)", nameof(prompts));
        var width = prompts.Max(p => p.Count);
        var ids = new long[prompts.Count * width];
        var valid = new bool[ids.Length];
        var positions = new long[ids.Length];
        for (var row = 0; row < prompts.Count; row++)
        {
            var pad = width - prompts[row].Count;
            for (var col = 0; col < width; col++)
            {
                var at = row * width + col;
                var real = col >= pad;
                ids[at] = real ? prompts[row][col - pad] : padId;
                valid[at] = real;
                positions[at] = real ? col - pad : 0;
            }
        }
        return new PromptBatch(
            torch.tensor(ids, device: device).view(prompts.Count, width),                      // (B, T)
            torch.tensor(valid, device: device).view(prompts.Count, width),                    // (B, T)
            torch.tensor(positions, device: device).view(prompts.Count, width),                // (B, T)
            prompts.Select(p => p.Count).ToList());
    }
}

using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>The mask one forward pass gives every attention layer: an explicit boolean mask, or SDPA's built-in causal mask.</summary>
/// <param name="Mask">(B, 1, G·T, S) or (B, 1, 1, S) boolean, true = may attend; null when <paramref name="IsCausal"/> or nothing is masked.</param>
/// <param name="IsCausal">Use SDPA's causal mask (only when T = S and nothing is padded).</param>
public sealed record AttentionMask(Tensor? Mask, bool IsCausal)
{
    /// <summary>
    /// The mask for T new queries at slots past…past+T−1 over S = past + T keys. Query i may attend key j when
    /// j ≤ past + i and key j is real (<paramref name="keyValid"/>, (B, S), null = all real). A query always sees itself,
    /// so a padding query never has an empty row (which would give NaN). With <paramref name="groups"/> G &gt; 1 query heads
    /// per key/value head, the rows are repeated G times to match queries folded to (B, H_kv, G·T, D).
    /// </summary>
    public static AttentionMask Build(Tensor? keyValid, long queries, long past, int groups, Device device)
    {
        var keys = past + queries;
        if (keyValid is null && queries == 1) return new AttentionMask(null, false);
        if (keyValid is null && past == 0 && groups == 1) return new AttentionMask(null, true);
        if (keyValid is not null && queries == 1)
            return new AttentionMask(keyValid.view(keyValid.shape[0], 1, 1, keys), false);                      // (B, 1, 1, S)

        var keyIndex = HeldScalars.Range(keys, device: device);                                                  // (S)
        var queryIndex = HeldScalars.Range(past, keys, device: device).unsqueeze(1);                             // (T, 1)
        var allowed = keyIndex <= queryIndex;                                                                       // (T, S)
        if (keyValid is not null)
            allowed = allowed.logical_and(keyValid.unsqueeze(1).logical_or(keyIndex == queryIndex));               // (B, T, S)
        var mask = allowed.dim() == 2 ? allowed.view(1, 1, queries, keys) : allowed.unsqueeze(1);                   // (B|1, 1, T, S)
        if (groups > 1)
        {
            var batch = mask.shape[0];
            mask = mask.unsqueeze(2).expand(batch, 1, groups, queries, keys).reshape(batch, 1, groups * queries, keys);  // (B, 1, G·T, S)
        }
        return new AttentionMask(mask, false);
    }
}

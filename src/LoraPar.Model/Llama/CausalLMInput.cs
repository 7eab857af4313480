using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>One forward pass's inputs beyond the token ids.</summary>
/// <param name="InputIds">(B, T) int64 token ids.</param>
public sealed record CausalLMInput(Tensor InputIds)
{
    /// <summary>(B, T) int64 rotary positions; default past … past + T − 1 for every row.</summary>
    public Tensor? PositionIds { get; init; }

    /// <summary>(B, S) bool, S = cached + new positions: true where the key is a real token, false for padding; null = all real.</summary>
    public Tensor? KeyValid { get; init; }

    /// <summary>The KV cache to read earlier positions from and append these to; null = no cache.</summary>
    public KvCache? Cache { get; init; }

    /// <summary>Compute the output only at the last position (generation needs no more).</summary>
    public bool LastPositionOnly { get; init; }
}

using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>What every decoder layer of one forward pass shares: rotary angles, the attention mask and the KV cache.</summary>
/// <param name="Cos">(B, T, 1, D) rotary cosines.</param>
/// <param name="SinSigned">(B, T, 1, D) rotary sines with the first half negated.</param>
/// <param name="Mask">The attention mask.</param>
/// <param name="Cache">Keys and values of earlier positions, appended to by each layer; null without caching.</param>
public sealed record AttentionContext(Tensor Cos, Tensor SinSigned, AttentionMask Mask, KvCache? Cache);

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>The token embedding table <c>embed_tokens.weight</c> (V, d), created uninitialised.</summary>
public sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    public readonly Parameter weight;

    public TokenEmbedding(long vocabulary, long dim, ScalarType dtype, Device device) : base("embed_tokens")
    {
        weight = ParameterFactory.Empty([vocabulary, dim], dtype, device);
        RegisterComponents();
    }

    /// <summary>Looks up <paramref name="ids"/> (B, T) → (B, T, d).</summary>
    public override Tensor forward(Tensor ids) =>
        weight.index_select(0, ids.reshape(-1)).view(ids.shape[0], ids.shape[1], weight.shape[1]);  // (B, T, d)
}

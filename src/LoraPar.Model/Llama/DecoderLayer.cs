using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Model.Llama;

/// <summary>One pre-norm decoder block: h = x + attn(norm(x)); y = h + mlp(norm(h)).</summary>
public sealed class DecoderLayer : Module<Tensor, AttentionContext, Tensor>
{
    public readonly Attention self_attn;
    public readonly Mlp mlp;
    public readonly RmsNorm input_layernorm;
    public readonly RmsNorm post_attention_layernorm;

    public DecoderLayer(LlamaConfig config, int layer, ScalarType dtype, Device device) : base($"layers.{layer}")
    {
        self_attn = new Attention(config, layer, dtype, device);
        mlp = new Mlp(config, dtype, device);
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        RegisterComponents();
    }

    /// <summary>
    /// (B, T, d) → (B, T, d). The layer's intermediates are disposed when it returns: autograd keeps what its backward needs
    /// by reference, so a training pass holds those alone instead of every intermediate tensor until the caller's scope ends.
    /// </summary>
    public override Tensor forward(Tensor x, AttentionContext context)
    {
        using var scope = torch.NewDisposeScope();
        var h = x.Plus(self_attn.call(input_layernorm.call(x), context));   // (B, T, d)
        return h.Plus(mlp.call(post_attention_layernorm.call(h))).MoveToOuterDisposeScope();   // (B, T, d)
    }
}

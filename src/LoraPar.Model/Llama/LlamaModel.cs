using LoraPar.Model.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Model.Llama;

/// <summary>The decoder stack <c>model.*</c>: token embedding, decoder layers and the final norm; returns hidden states.</summary>
public sealed class LlamaModel : Module<Tensor, Tensor>
{
    public readonly TokenEmbedding embed_tokens;
    public readonly ModuleList<DecoderLayer> layers;
    public readonly RmsNorm norm;

    private readonly RotaryEmbedding _rotary;
    private readonly int _groups;

    public LlamaModel(LlamaConfig config, ScalarType dtype, Device device) : base("model")
    {
        embed_tokens = new TokenEmbedding(config.VocabSize, config.HiddenSize, dtype, device);
        layers = new ModuleList<DecoderLayer>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(i => new DecoderLayer(config, i, dtype, device)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        _rotary = new RotaryEmbedding(config);
        _groups = config.KvGroups;
        RegisterComponents();
    }

    /// <summary>
    /// Whether training passes (grad enabled, no KV cache) recompute each layer's activations in backward instead of keeping
    /// them (<see cref="LayerCheckpoint"/>); the trainers switch it on for their own passes only (<see cref="LlamaForCausalLM.Recomputing"/>).
    /// </summary>
    public bool GradientCheckpointing { get; set; }

    /// <summary>Hidden states (B, T, d) of a causal pass over <paramref name="inputIds"/> (B, T) without padding or cache.</summary>
    public override Tensor forward(Tensor inputIds) => Forward(new CausalLMInput(inputIds));

    /// <summary>Final-normed hidden states (B, T, d), or (B, 1, d) with <see cref="CausalLMInput.LastPositionOnly"/>.</summary>
    public Tensor Forward(CausalLMInput input)
    {
        var ids = input.InputIds;
        long batch = ids.shape[0], length = ids.shape[1], past = input.Cache?.Length ?? 0;
        var hidden = embed_tokens.call(ids);                                                           // (B, T, d)
        var positions = input.PositionIds
            ?? HeldScalars.Range(past, past + length, device: ids.device).unsqueeze(0).expand(batch, length);  // (B, T)
        var (cos, sinSigned) = _rotary.Angles(positions, hidden.dtype);                                // (B, T, 1, D)
        var mask = AttentionMask.Build(input.KeyValid, length, past, _groups, ids.device);
        var context = new AttentionContext(cos, sinSigned, mask, input.Cache);
        var recompute = GradientCheckpointing && is_grad_enabled() && input.Cache is null;
        foreach (var layer in layers)
            hidden = recompute ? LayerCheckpoint.Run(layer, hidden, context) : layer.call(hidden, context);   // (B, T, d)
        input.Cache?.Advance(length);
        if (input.LastPositionOnly && length > 1) hidden = hidden.narrow(1, length - 1, 1);            // (B, 1, d)
        return norm.call(hidden);
    }
}

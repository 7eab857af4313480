using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Model.Llama;

/// <summary>
/// Grouped-query self-attention with rotary positions: H query heads share H_kv key/value heads (G = H / H_kv each).
/// Queries of one group are folded into the query-length axis, (B, H, T, D) → (B, H_kv, G·T, D), so keys and values are
/// never replicated. Projection fields are named as in HF checkpoints and may be swapped by module path (the LoRA injector does).
/// A single new token at batch 1 on the CPU takes <see cref="SingleQueryAttention"/> instead of the tensor route.
/// </summary>
public sealed class Attention : Module<Tensor, AttentionContext, Tensor>, IFusibleProjections
{
    public Module<Tensor, Tensor> q_proj;
    public Module<Tensor, Tensor> k_proj;
    public Module<Tensor, Tensor> v_proj;
    public Module<Tensor, Tensor> o_proj;

    private readonly int _layer;
    private readonly FusionSlots _fusion = new();   // [0] q/k/v, [1] o
    private readonly long _heads;
    private readonly long _kvHeads;
    private readonly long _headDim;

    public Attention(LlamaConfig config, int layer, ScalarType dtype, Device device) : base("self_attn")
    {
        _layer = layer;
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        long d = config.HiddenSize, q = _heads * _headDim, kv = _kvHeads * _headDim;
        q_proj = ParameterFactory.Linear(d, q, config.AttentionBias, dtype, device);
        k_proj = ParameterFactory.Linear(d, kv, config.AttentionBias, dtype, device);
        v_proj = ParameterFactory.Linear(d, kv, config.AttentionBias, dtype, device);
        o_proj = ParameterFactory.Linear(q, d, config.OutputProjectionBias, dtype, device);
        RegisterComponents();
    }

    /// <summary>Attends <paramref name="x"/> (B, T, d) over the cached and new positions; returns (B, T, d).</summary>
    public override Tensor forward(Tensor x, AttentionContext context)
    {
        long batch = x.shape[0], length = x.shape[1], groups = _heads / _kvHeads;
        var (qx, kx, vx) = Project(x);
        if (SingleQueryAttention.Applies(qx, kx, vx, context, _layer))
            return Output(SingleQueryAttention.Step(qx, kx, vx, context, _layer));                   // (1, 1, d)
        var q = qx.view(batch, length, _heads, _headDim);                                             // (B, T, H, D)
        var k = kx.view(batch, length, _kvHeads, _headDim);                                           // (B, T, H_kv, D)
        var v = vx.view(batch, length, _kvHeads, _headDim).transpose(1, 2);                           // (B, H_kv, T, D)
        q = RotaryEmbedding.Apply(q, context.Cos, context.SinSigned).transpose(1, 2);               // (B, H, T, D)
        k = RotaryEmbedding.Apply(k, context.Cos, context.SinSigned).transpose(1, 2);               // (B, H_kv, T, D)
        if (context.Cache is { } cache) (k, v) = cache.Append(_layer, k, v);                         // (B, H_kv, S, D)
        var o = Attend(q, k, v, context, groups);                                                    // (B, H, T, D)
        return Output(o.transpose(1, 2).reshape(batch, length, _heads * _headDim));                 // (B, T, H·D) → (B, T, d)
    }

    /// <summary>o_proj of the merged heads (B, T, H·D) → (B, T, d).</summary>
    private Tensor Output(Tensor merged) => _fusion[1]?.TryProject(merged, o_proj) is [var y] ? y : o_proj.call(merged);

    /// <summary>Attention outputs (B, H, T, D) of queries (B, H, T, D) over keys and values (B, H_kv, S, D), through SDPA.</summary>
    private Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionContext context, long groups)
    {
        long batch = q.shape[0], length = q.shape[2];
        if (groups > 1) q = q.reshape(batch, _kvHeads, groups * length, _headDim);                  // (B, H_kv, G·T, D)
        var o = functional.scaled_dot_product_attention(q, k, v, context.Mask.Mask, is_casual: context.Mask.IsCausal);
        return groups > 1 ? o.view(batch, _heads, length, _headDim) : o;                            // (B, H, T, D)
    }

    /// <summary>q, k and v of <paramref name="x"/>: one matmul over the fused copy when it serves, else each projection's own call.</summary>
    private (Tensor Q, Tensor K, Tensor V) Project(Tensor x) =>
        _fusion[0]?.TryProject(x, q_proj, k_proj, v_proj) is [var q, var k, var v] ? (q, k, v) : (q_proj.call(x), k_proj.call(x), v_proj.call(x));

    bool IFusibleProjections.Fuse(int threads) => _fusion.Open(threads, [q_proj, k_proj, v_proj], [o_proj]);

    void IFusibleProjections.Unfuse() => _fusion.Dispose();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _fusion.Dispose();
        base.Dispose(disposing);
    }
}

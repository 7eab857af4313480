namespace LoraPar.Pipeline.Planning;

/// <summary>
/// What a training pass keeps for backward, counted from what autograd saves in this implementation's decoder layer (pure
/// functions of the shape). A frozen weight's matmul saves nothing of its input (only a weight gradient would need it).
/// Per token and layer, in the compute dtype: each RMSNorm's input (2·d), SDPA's q, k, v and output (2·q + 2·kv; the flash
/// and memory-efficient kernels keep no T × T scores), and the MLP's gate, SiLU(gate) and up (3·f). A LoRA branch keeps its
/// input for A's gradient — a float32 copy under a bf16/fp16 base, with dropout the dropped copy and its mask, else the
/// shared input itself — and its rank activations for B's. The loss keeps the logits and their float32 log-softmax, and
/// the backward adds the latter's gradient.
/// </summary>
public static class ActivationModel
{
    /// <summary>Bytes kept per token and layer; <paramref name="lora"/> false for a full-weight pass (pretraining).</summary>
    public static double PerTokenLayer(PlanShape s, bool lora, double dropout)
    {
        var c = s.Config;
        double d = c.HiddenSize, q = (double)c.NumAttentionHeads * c.HeadDim, kv = (double)c.NumKeyValueHeads * c.HeadDim, f = c.IntermediateSize;
        if (!lora) return (2 * d + 2 * q + 2 * kv + 3 * f + 2 * d + q + f) * s.WeightBytes;   // + the projection inputs weight gradients need
        var bytes = (2 * d + 2 * q + 2 * kv + 3 * f) * s.WeightBytes;
        var ownCopies = dropout > 0 || s.AdapterBytes != s.WeightBytes;
        foreach (var target in s.Targets)
        {
            var input = (double)s.Dimensions(target).In;
            if (dropout > 0) bytes += input * (s.AdapterBytes + 1);                    // dropout(x) and its mask
            else if (ownCopies) bytes += input * s.AdapterBytes;                       // the branch's upcast copy of x
            bytes += s.Rank * s.AdapterBytes;                                          // h = x Aᵀ
        }
        if (!ownCopies) bytes += SharedInputs(s) * s.WeightBytes;
        return bytes;
    }

    /// <summary>Elements per token of the projection inputs LoRA branches keep when they share them: normed x, normed h, the MLP product, the merged heads.</summary>
    private static double SharedInputs(PlanShape s)
    {
        var t = s.Targets;
        var c = s.Config;
        return (t.Any(n => n is "q_proj" or "k_proj" or "v_proj") ? c.HiddenSize : 0) + (t.Any(n => n is "gate_proj" or "up_proj") ? c.HiddenSize : 0)
            + (t.Contains("down_proj") ? c.IntermediateSize : 0) + (t.Contains("o_proj") ? (double)c.NumAttentionHeads * c.HeadDim : 0);
    }

    /// <summary>Bytes of the loss's logits for <paramref name="rows"/> × <paramref name="tokens"/>.</summary>
    public static double Logits(PlanShape s, double rows, double tokens) => rows * tokens * s.Config.VocabSize * (s.WeightBytes + 8.0);

    /// <summary>
    /// Bytes a training pass keeps at <paramref name="rows"/> × <paramref name="tokens"/>: every layer's activations, or with
    /// <paramref name="recompute"/> only each layer's input plus one layer's activations while it is recomputed.
    /// </summary>
    public static double Pass(PlanShape s, double rows, double tokens, bool lora, double dropout, bool recompute)
    {
        var layer = rows * tokens * PerTokenLayer(s, lora, dropout);
        var layers = s.Config.NumHiddenLayers;
        var kept = recompute ? layers * rows * tokens * s.Config.HiddenSize * (double)s.WeightBytes + layer : layers * layer;
        return kept + Logits(s, rows, tokens);
    }

    /// <summary>Bytes of a KV cache for <paramref name="rows"/> × <paramref name="positions"/>.</summary>
    public static double KvCache(PlanShape s, double rows, double positions) =>
        2.0 * s.Config.NumHiddenLayers * s.Config.NumKeyValueHeads * s.Config.HeadDim * rows * positions * s.WeightBytes;
}

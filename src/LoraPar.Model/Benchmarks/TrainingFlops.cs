using LoraPar.Model.Llama;

namespace LoraPar.Model.Benchmarks;

/// <summary>
/// The standard count of a training step's FLOPs (Kaplan et al. 2020; PaLM's MFU, Chowdhery et al. 2022, appendix B):
/// per token 6·N for the weight matmuls of forward and backward (N = the non-embedding parameters; an untied lm_head
/// counts, the input embedding lookup does not) plus 12·L·d·T for attention's scores and values (forward 4·d·T per layer,
/// backward twice that; the causal mask's skipped half is counted, as PaLM does). Norms, activations, the loss and the
/// optimizer are not counted.
/// </summary>
public static class TrainingFlops
{
    /// <summary>FLOPs of one training token at <paramref name="sequence"/> positions: 6·N + 12·L·d·T.</summary>
    public static double PerToken(LlamaConfig config, int sequence) =>
        6.0 * config.ParameterCount(includeInputEmbedding: false) + 12.0 * config.NumHiddenLayers * config.HiddenSize * sequence;

    /// <summary>FLOPs of one step of <paramref name="batch"/> windows of <paramref name="sequence"/> tokens.</summary>
    public static double PerStep(LlamaConfig config, int batch, int sequence) => (double)batch * sequence * PerToken(config, sequence);
}

using System.Globalization;

namespace LoraPar.Pipeline.Manifest;

/// <summary>
/// A coarse upper estimate of the memory the built-in model's stages need, from the manifest alone: fp32 weights with their
/// pretraining gradients and AdamW moments, the LoRA factors with theirs, and the activations of the largest batch
/// (a dozen width-sized tensors per layer and token, the attention scores and the logits). It exists to turn an absurd
/// size (a billion layers, rank one million) into a load-time error instead of a native abort or an out-of-memory kill.
/// </summary>
/// <param name="Weights">Base weights, gradients and optimizer state of pretraining, in bytes.</param>
/// <param name="Adapter">LoRA factors, gradients and optimizer state, in bytes.</param>
/// <param name="Activations">Activations of the largest batch, in bytes.</param>
public sealed record MemoryEstimate(double Weights, double Adapter, double Activations)
{
    /// <summary>The character tokenizer's vocabulary is below this.</summary>
    private const double TinyVocabulary = 128;

    /// <summary>The sum.</summary>
    public double Total => Weights + Adapter + Activations;

    /// <summary>The estimate for <paramref name="m"/>'s built-in model.</summary>
    public static MemoryEstimate Of(PipelineManifest m)
    {
        var t = m.Model.Tiny;
        double d = t.HiddenSize, layers = t.Layers, ff = t.IntermediateSize;
        var weights = (2 * TinyVocabulary * d + layers * (4 * d * d + 3 * d * ff)) * 4 * 4;   // fp32 value, grad, m, v
        var loraPerLayer = m.Lora.R * (3 * (d + d) + 2 * (d + ff) + (ff + d));                 // q,k,v; gate,up; down
        var adapter = layers * loraPerLayer * 4 * 4;
        var tokens = Math.Max(t.PretrainBatchSize * (double)t.ContextLength,
            Math.Max(m.Sft.Batching.BatchSize * (double)m.Sft.Batching.MaxLength, m.Rl.NumGenerations * (double)m.Rl.PromptsPerRollout
                * (m.Rl.MaxPromptLength + m.Rl.MaxCompletionLength)));
        var rows = Math.Max(t.PretrainBatchSize, m.Rl.NumGenerations * (double)m.Rl.PromptsPerRollout);
        var activations = tokens * layers * (12 * d + 2 * ff) * 4 + rows * t.Heads * Math.Pow(t.ContextLength, 2) * layers * 4
                          + tokens * TinyVocabulary * 4 * 2;
        return new MemoryEstimate(weights, adapter, activations);
    }

    /// <summary>The parts, for a message.</summary>
    public string Describe() => $"weights {Format(Weights)}, LoRA {Format(Adapter)}, activations {Format(Activations)}";

    /// <summary>Bytes as GiB or MiB.</summary>
    public static string Format(double bytes) => bytes >= 1L << 30
        ? (bytes / (1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB";
}

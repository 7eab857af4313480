using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Generation;

/// <summary>
/// Picks the next token from logits. Temperature 0 is greedy (argmax); otherwise logits are divided by the temperature,
/// cut to the top-k and to the smallest set whose probability reaches top-p, and sampled with the given generator.
/// The log-probability reported is that of the token under the tempered but uncut distribution, log softmax(logits / T)
/// (T = 1 when greedy) — what teacher forcing with <see cref="SequenceScorer"/> at the same temperature computes.
/// Non-finite probabilities throw <see cref="NonFiniteLogitsException"/> before sampling.
/// </summary>
public static class Sampler
{
    /// <summary>Next tokens (B) int64 and their log-probabilities (B) float32 for <paramref name="logits"/> (B, V).</summary>
    public static (Tensor Tokens, Tensor LogProbs) Next(Tensor logits, GenerationOptions options, torch.Generator? generator)
    {
        var scaled = options.Temperature > 0 ? logits.to(ScalarType.Float32).Over(options.Temperature) : logits.to(ScalarType.Float32);  // (B, V)
        var logProbs = scaled.log_softmax(-1);                                                                   // (B, V)
        var tokens = options.Temperature > 0 ? Sample(Filter(scaled, options.TopK, options.TopP).softmax(-1), generator)  // (B)
            : scaled.argmax(-1);                                                                                 // (B)
        return (tokens, logProbs.gather(-1, tokens.unsqueeze(-1)).squeeze(-1));                                // (B)
    }

    /// <summary>One token per row of <paramref name="probs"/> (B, V); non-finite probabilities never reach libtorch.</summary>
    private static Tensor Sample(Tensor probs, torch.Generator? generator)
    {
        if (!probs.isfinite().all().item<bool>()) throw new NonFiniteLogitsException();
        return probs.multinomial(1, generator: generator).squeeze(-1);                                         // (B)
    }

    /// <summary>
    /// <paramref name="logits"/> (B, V) with −∞ outside the <paramref name="topK"/> largest (0 = no cut) and outside the
    /// smallest prefix, by descending probability, whose mass reaches <paramref name="topP"/> (1 = no cut). The most
    /// likely token always survives.
    /// </summary>
    public static Tensor Filter(Tensor logits, int topK, double topP)
    {
        var result = logits;
        if (topK > 0 && topK < logits.shape[^1])
        {
            var kth = logits.topk(topK, -1).values.narrow(-1, topK - 1, 1);                                      // (B, 1)
            using Scalar minusInfinity = double.NegativeInfinity;
            result = result.masked_fill(result < kth, minusInfinity);                                             // (B, V)
        }
        if (topP < 1.0)
        {
            var (sorted, order) = result.sort(-1, descending: true);                                              // (B, V)
            var probs = sorted.softmax(-1);                                                                       // (B, V)
            var before = probs.cumsum(-1) - probs;                                                                // mass of strictly more likely tokens
            using Scalar mass = topP, minusInfinity = double.NegativeInfinity;
            var cut = before.ge(mass).scatter(-1, order, before.ge(mass));                                        // (B, V) in vocabulary order
            result = result.masked_fill(cut, minusInfinity);                                                      // (B, V)
        }
        return result;
    }
}

using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Generation;

/// <summary>
/// Log-probabilities of given completions by teacher forcing: one forward pass over prompt + completion, then
/// log p(token | everything before it) at each completion position. Used for SFT and importance losses (differentiable
/// when grad is enabled), GRPO's policy / old / reference log-probs, and multiple-choice scoring.
/// </summary>
public sealed class SequenceScorer(LlamaForCausalLM model, TextTokenizer tokenizer, int batchSize = 8) : ICompletionScorer
{
    /// <summary>
    /// (B, C) log softmax(logits / <paramref name="temperature"/>) of each completion token, 0 where
    /// <see cref="CompletionBatch.CompletionMask"/> is false. Logits are computed only at the C predicting positions.
    /// </summary>
    public static Tensor TokenLogProbs(LlamaForCausalLM model, CompletionBatch batch, double temperature = 1.0)
    {
        long p = batch.PromptLength, c = batch.CompletionLength;
        var padded = !batch.AttentionMask.all().item<bool>();
        using Scalar first = 0;
        var positions = batch.AttentionMask.to(ScalarType.Int64).cumsum(1).Minus(1L).clamp_min(first);         // (B, P + C)
        var hidden = model.model.Forward(new CausalLMInput(batch.InputIds)
        {
            PositionIds = positions,
            KeyValid = padded ? batch.AttentionMask : null,
        });                                                                                                       // (B, P + C, d)
        var logits = model.lm_head.call(hidden.narrow(1, p - 1, c)).to(ScalarType.Float32);                     // (B, C, V)
        if (temperature != 1.0) logits = logits.Over(temperature);
        var targets = batch.InputIds.narrow(1, p, c).unsqueeze(-1);                                              // (B, C, 1)
        var logProbs = logits.gather(-1, targets).squeeze(-1) - logits.logsumexp(-1);                            // (B, C)
        using Scalar zero = 0.0;
        return logProbs.masked_fill(batch.CompletionMask.logical_not(), zero);
    }

    /// <summary>Σ log p(continuation | context) per request, batched; the context gets BOS as the tokenizer says.</summary>
    public IReadOnlyList<double> LogLikelihood(IReadOnlyList<ScoringRequest> requests)
    {
        var results = new List<double>(requests.Count);
        using var inference = torch.inference_mode();
        foreach (var chunk in requests.Chunk(Math.Max(1, batchSize)))
        {
            using var scope = torch.NewDisposeScope();
            var pairs = chunk.Select(Split).ToList();
            var batch = CompletionBatch.Create(pairs.Select(x => x.Context).ToList(), pairs.Select(x => x.Continuation).ToList(), tokenizer.PadId, model.Device);
            var sums = TokenLogProbs(model, batch).sum(1).to(ScalarType.Float64).cpu().data<double>().ToArray();  // (B)
            results.AddRange(sums);
        }
        return results;
    }

    /// <summary>
    /// Tokens of the context and of the continuation as they fall in the encoding of the whole text (so a word is not
    /// split differently than in running text); the context's trailing whitespace moves to the continuation.
    /// </summary>
    public (IReadOnlyList<int> Context, IReadOnlyList<int> Continuation) Split(ScoringRequest request)
    {
        var context = request.Context.TrimEnd(' ');
        var continuation = request.Context[context.Length..] + request.Continuation;
        var whole = tokenizer.Encode(context + continuation);
        var head = tokenizer.Encode(context);
        var shared = 0;
        while (shared < head.Count && shared < whole.Count && head[shared] == whole[shared]) shared++;
        shared = Math.Max(1, Math.Min(shared, whole.Count));
        return (whole.Take(shared).ToList(), whole.Skip(shared).ToList());
    }
}

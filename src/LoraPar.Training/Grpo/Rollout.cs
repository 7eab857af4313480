using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;
using LoraPar.Training.Grpo.Rewards;
using TorchSharp;
using static TorchSharp.torch;
using Generator = LoraPar.Model.Generation.Generator;

namespace LoraPar.Training.Grpo;

/// <summary>One forward/backward chunk of a rollout, laid out for teacher forcing, with its fixed inputs to the loss.</summary>
/// <param name="Batch">Prompt + completion ids (B_c, P + C) and the completion mask.</param>
/// <param name="LossMask">(B_c, C) float: 1 for completion tokens that count (0 for padding and masked truncations).</param>
/// <param name="Advantages">(B_c) float32.</param>
/// <param name="OldLogProbs">(B_c, C) log π_old at sampling time, when μ &gt; 1.</param>
/// <param name="ReferenceLogProbs">(B_c, C) log π_ref of the stage-start model, when β ≠ 0.</param>
public sealed record RolloutChunk(CompletionBatch Batch, Tensor LossMask, Tensor Advantages, Tensor? OldLogProbs, Tensor? ReferenceLogProbs);

/// <summary>
/// A rollout: G completions per prompt sampled with the KV cache, their rewards and group-relative advantages, split into
/// chunks for the update. Owns its tensors (they outlive the per-step dispose scopes, since μ steps reuse them).
/// </summary>
public sealed class Rollout : IDisposable
{
    private Rollout(IReadOnlyList<GeneratedText> completions, RewardBatch rewards, AdvantageBatch advantages, double accuracy, List<RolloutChunk> chunks)
    {
        Completions = completions;
        Rewards = rewards;
        Advantages = advantages;
        Accuracy = accuracy;
        Chunks = chunks;
    }

    /// <summary>The completions, prompt-major (G per prompt).</summary>
    public IReadOnlyList<GeneratedText> Completions { get; }

    /// <summary>Per-function and total rewards.</summary>
    public RewardBatch Rewards { get; }

    /// <summary>Advantages and group statistics.</summary>
    public AdvantageBatch Advantages { get; }

    /// <summary>Fraction of completions whose <c>&lt;answer&gt;</c> or <c>#### N</c> equals the gold number.</summary>
    public double Accuracy { get; }

    /// <summary>The update chunks.</summary>
    public IReadOnlyList<RolloutChunk> Chunks { get; }

    /// <summary>Completion tokens that count in the loss, over all chunks.</summary>
    public double LossTokens => Chunks.Sum(c => c.LossMask.sum().item<float>());

    /// <summary>
    /// Samples G completions for each prompt (the model must be in eval mode), scores them and lays them out in chunks of
    /// <see cref="GrpoOptions.MicroBatchSize"/> completions. Sampling is seeded by <paramref name="seed"/>.
    /// </summary>
    public static Rollout Sample(Generator generator, IReadOnlyList<GrpoPrompt> prompts, GrpoOptions options, RewardSet rewards, long seed)
    {
        var tokenizer = generator.Tokenizer;
        var promptIds = prompts.SelectMany(p => Enumerable.Repeat(Truncate(tokenizer.Encode(p.Prompt), options.MaxPromptLength), options.NumGenerations)).ToList();
        var golds = prompts.SelectMany(p => Enumerable.Repeat(p.Gold, options.NumGenerations)).ToList();
        var completions = generator.GenerateIds(promptIds, new GenerationOptions
        {
            MaxNewTokens = options.MaxCompletionLength, Temperature = options.Temperature, TopP = options.TopP, Seed = seed,
        });
        var scored = rewards.Score(completions.Select(c => c.Text).ToList(), golds);
        var advantages = GroupAdvantages.Compute(scored.Total, options.NumGenerations, options.ScaleRewards);
        var accuracy = completions.Select((c, i) => Correct(c.Text, golds[i])).Average(ok => ok ? 1.0 : 0.0);
        var chunks = Layout(promptIds, completions, advantages.Values, options, tokenizer.PadId, generator.Model.Device);
        return new Rollout(completions, scored, advantages, accuracy, chunks);
    }

    /// <summary>Computes the old-policy log-probs of every chunk with the current weights (no gradient).</summary>
    public void SetOldLogProbs(LlamaForCausalLM model) => Fill(model, (chunk, lp) => chunk with { OldLogProbs = lp });

    /// <summary>Computes the reference log-probs of every chunk (call inside <see cref="StageStartReference.Swapped"/>).</summary>
    public void SetReferenceLogProbs(LlamaForCausalLM model) => Fill(model, (chunk, lp) => chunk with { ReferenceLogProbs = lp });

    public void Dispose()
    {
        foreach (var chunk in Chunks)
        {
            foreach (var t in new[] { chunk.Batch.InputIds, chunk.Batch.AttentionMask, chunk.Batch.CompletionMask, chunk.LossMask, chunk.Advantages })
                t.Dispose();
            chunk.OldLogProbs?.Dispose();
            chunk.ReferenceLogProbs?.Dispose();
        }
    }

    private void Fill(LlamaForCausalLM model, Func<RolloutChunk, Tensor, RolloutChunk> set)
    {
        var list = (List<RolloutChunk>)Chunks;
        using var inference = inference_mode();
        for (var i = 0; i < list.Count; i++)
        {
            using var scope = NewDisposeScope();
            var logProbs = SequenceScorer.TokenLogProbs(model, list[i].Batch).detach().MoveToOuterDisposeScope();   // (B_c, C)
            list[i] = set(list[i], logProbs);
        }
    }

    private static List<RolloutChunk> Layout(List<IReadOnlyList<int>> promptIds, IReadOnlyList<GeneratedText> completions, double[] advantages,
        GrpoOptions options, int padId, Device device)
    {
        var size = options.MicroBatchSize == 0 ? completions.Count : options.MicroBatchSize;
        var chunks = new List<RolloutChunk>();
        for (var start = 0; start < completions.Count; start += size)
        {
            using var scope = NewDisposeScope();
            var rows = Enumerable.Range(start, Math.Min(size, completions.Count - start)).ToList();
            var batch = CompletionBatch.Create(rows.Select(r => promptIds[r]).ToList(), rows.Select(r => completions[r].TokenIds).ToList(), padId, device);
            var keep = rows.Select(r => !(options.MaskTruncatedCompletions && completions[r].Finish == FinishReason.Length)).ToArray();
            var lossMask = batch.CompletionMask.to_type(ScalarType.Float32) * tensor(keep, device: device).to_type(ScalarType.Float32).unsqueeze(1);  // (B_c, C)
            var adv = tensor(rows.Select(r => (float)advantages[r]).ToArray(), device: device);                                                          // (B_c)
            var kept = new CompletionBatch(batch.InputIds.MoveToOuterDisposeScope(), batch.AttentionMask.MoveToOuterDisposeScope(),
                batch.CompletionMask.MoveToOuterDisposeScope(), batch.PromptLength);
            chunks.Add(new RolloutChunk(kept, lossMask.MoveToOuterDisposeScope(), adv.MoveToOuterDisposeScope(), null, null));
        }
        return chunks;
    }

    private static IReadOnlyList<int> Truncate(IReadOnlyList<int> ids, int maxLength) =>
        ids.Count <= maxLength ? ids : ids.Skip(ids.Count - maxLength).ToList();

    private static bool Correct(string text, string gold) =>
        CorrectnessReward.Score(text, gold) > 0 || HashCorrectnessReward.Score(text, gold) > 0;
}

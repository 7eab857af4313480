using LoraPar.Core;
using System.Diagnostics;
using LoraPar.Adapters;
using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;
using LoraPar.Training.Grpo.Rewards;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Grpo;

/// <summary>
/// One micro-batch of a rollout, laid out for teacher forcing (prompts left-padded, completions right-padded after them),
/// with everything the policy loss needs besides the current log-probs. Owns its tensors.
/// </summary>
/// <param name="Batch">Prompt + completion ids; B = prompts × G rows, prompt-major.</param>
/// <param name="LossMask">(B, C) bool: completion tokens that count (truncated completions left out when so configured).</param>
/// <param name="Advantages">(B) float32, one per completion.</param>
/// <param name="OldLogProbs">(B, C) log π_old at sampling time, when μ &gt; 1; null when each rollout is used once.</param>
/// <param name="ReferenceLogProbs">(B, C) log π_ref, when β ≠ 0.</param>
/// <param name="LossTokens">Tokens the loss mask counts.</param>
internal sealed record RolloutMicroBatch(CompletionBatch Batch, Tensor LossMask, Tensor Advantages, Tensor? OldLogProbs, Tensor? ReferenceLogProbs,
    long LossTokens) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in new[] { Batch.InputIds, Batch.AttentionMask, Batch.CompletionMask, LossMask, Advantages, OldLogProbs, ReferenceLogProbs })
            t?.Dispose();
    }
}

/// <summary>The sampled completions of one rollout with their rewards and log-probs, and how long each part took.</summary>
internal sealed class Rollout(int index, IReadOnlyList<RolloutMicroBatch> microBatches, RolloutSummary summary, double generationSeconds,
    double referenceSeconds) : IDisposable
{
    public int Index { get; } = index;
    public IReadOnlyList<RolloutMicroBatch> MicroBatches { get; } = microBatches;
    public RolloutSummary Summary { get; } = summary;

    /// <summary>Generation and reward scoring.</summary>
    public double GenerationSeconds { get; } = generationSeconds;

    /// <summary>Old and reference log-probs.</summary>
    public double ReferenceSeconds { get; } = referenceSeconds;

    public void Dispose()
    {
        foreach (var m in MicroBatches) m.Dispose();
    }
}

/// <summary>
/// Samples rollouts: G completions per prompt with the KV-cache <see cref="Model.Generation.Generator"/> (eval mode, seeded per rollout and
/// micro-batch, so a resumed run samples the same completions; float32 adapters merged into the base weights while sampling,
/// see <see cref="MergedInference"/>), rewards per function, group advantages over the whole rollout, then — once per
/// rollout — the old log-probs (μ &gt; 1) and the reference log-probs (β ≠ 0) by teacher forcing, at
/// <see cref="GrpoOptions.LogProbTemperature"/>.
/// </summary>
internal sealed class RolloutCollector(LlamaForCausalLM model, TextTokenizer tokenizer, LoraAdapterSet adapters, IGrpoReward reward,
    ReferencePolicy? reference, GrpoOptions options)
{
    private const long SamplingSalt = 0x6772_706F_726F_6C6CL;          // "grpoRoll": keeps the sampling stream apart from other seeded streams
    private readonly Model.Generation.Generator generator = new(model, tokenizer);

    /// <summary>The seed of micro-batch <paramref name="micro"/> of rollout <paramref name="rollout"/> of a stage seeded with <paramref name="seed"/>.</summary>
    public static long SamplingSeed(long seed, int rollout, int micro, int microBatchesPerRollout) =>
        unchecked((long)(DeterministicRandom.ForStream(seed ^ SamplingSalt, rollout * microBatchesPerRollout + micro).NextBits() >> 1));

    /// <summary>Samples and scores rollout <paramref name="index"/> over <paramref name="prompts"/>.</summary>
    public Rollout Collect(int index, IReadOnlyList<GrpoExample> prompts, Func<string, string> buildPrompt)
    {
        var watch = Stopwatch.StartNew();
        var chunks = prompts.Chunk(options.PromptsPerBatch).ToList();
        var promptIds = new List<IReadOnlyList<int>>();
        var generated = new List<GeneratedText>();
        model.eval();
        using (MergedInference.Open(adapters))
            for (var micro = 0; micro < chunks.Count; micro++)
            {
                var rows = chunks[micro].Select(p => PromptIds(buildPrompt(p.Question)))
                    .SelectMany(ids => Enumerable.Repeat(ids, options.NumGenerations)).ToList();         // prompt-major, G rows each
                promptIds.AddRange(rows);
                generated.AddRange(generator.GenerateIds(rows, Sampling(SamplingSeed(options.Seed, index, micro, options.GradientAccumulationSteps))));
            }
        var examples = prompts.SelectMany(p => Enumerable.Repeat(p, options.NumGenerations)).ToList();
        var scores = reward.Score(generated.Select(g => g.Text).ToList(), examples);
        var advantages = GroupAdvantages.Compute(scores.Total, options.NumGenerations, options.ScaleRewards);
        Synchronize();
        var generationSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var microBatches = new List<RolloutMicroBatch>();
        try
        {
            var rowsPerMicro = options.PromptsPerBatch * options.NumGenerations;
            for (var start = 0; start < generated.Count; start += rowsPerMicro)
            {
                var count = Math.Min(rowsPerMicro, generated.Count - start);
                microBatches.Add(MicroBatch(promptIds.GetRange(start, count), generated.GetRange(start, count), advantages.Values.AsSpan(start, count).ToArray()));
            }
        }
        catch
        {
            foreach (var m in microBatches) m.Dispose();
            throw;
        }
        Synchronize();
        var summary = RolloutSummary.Of(generated, scores, advantages);
        return new Rollout(index, microBatches, summary, generationSeconds, watch.Elapsed.TotalSeconds);
    }

    private RolloutMicroBatch MicroBatch(IReadOnlyList<IReadOnlyList<int>> prompts, IReadOnlyList<GeneratedText> completions, double[] advantages)
    {
        using var scope = NewDisposeScope();
        var device = model.Device;
        var batch = CompletionBatch.Create(prompts, completions.Select(c => c.TokenIds).ToList(), tokenizer.PadId, device);
        var keep = completions.Select(c => !(options.MaskTruncatedCompletions && c.Finish == FinishReason.Length)).ToArray();
        var lossMask = batch.CompletionMask.logical_and(tensor(keep, device: device).unsqueeze(1));                   // (B, C)
        var advantageTensor = tensor(advantages.Select(a => (float)a).ToArray(), device: device);                   // (B)
        Tensor? old = null, referenceLogProbs = null;
        using (no_grad())
        {
            if (options.NumIterations > 1) old = SequenceScorer.TokenLogProbs(model, batch, options.LogProbTemperature);  // (B, C)
            if (options.Loss.Beta != 0.0) referenceLogProbs = ReferenceLogProbs(batch);                                  // (B, C)
        }
        var tokens = lossMask.count_nonzero().item<long>();
        Tensor Keep(Tensor t) => t.DetachFromDisposeScope();
        return new RolloutMicroBatch(
            new CompletionBatch(Keep(batch.InputIds), Keep(batch.AttentionMask), Keep(batch.CompletionMask), batch.PromptLength),
            Keep(lossMask), Keep(advantageTensor), old is null ? null : Keep(old), referenceLogProbs is null ? null : Keep(referenceLogProbs), tokens);
    }

    /// <summary>(B, C) log π_ref: the stage-start values swapped in, or the base model with the adapters switched off.</summary>
    private Tensor ReferenceLogProbs(CompletionBatch batch)
    {
        if (options.KlReference == KlReference.StageStart)
            return (reference ?? throw new InvalidOperationException("a stage-start KL reference needs the captured reference policy"))
                .TokenLogProbs(model, batch, options.LogProbTemperature);
        using (adapters.Disabled()) return SequenceScorer.TokenLogProbs(model, batch, options.LogProbTemperature);
    }

    /// <summary>The prompt's ids with BOS as the tokenizer says, keeping the last <see cref="GrpoOptions.MaxPromptLength"/> (left truncation).</summary>
    private IReadOnlyList<int> PromptIds(string prompt)
    {
        var ids = tokenizer.Encode(prompt);
        return ids.Count <= options.MaxPromptLength ? ids : ids.Skip(ids.Count - options.MaxPromptLength).ToArray();
    }

    private GenerationOptions Sampling(long seed) => new()
    {
        MaxNewTokens = options.MaxCompletionLength, Temperature = options.Temperature, TopP = options.TopP, TopK = options.TopK, Seed = seed,
    };

    private void Synchronize()
    {
        if (model.Device.type == DeviceType.CUDA) cuda.synchronize(model.Device);
    }
}

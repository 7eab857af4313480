using LoraPar.Adapters;
using LoraPar.Core;
using LoraPar.Model.Llama;
using LoraPar.Model.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>The outcome of <see cref="ImportanceScorer.Score"/>; owns <see cref="Scores"/>.</summary>
/// <param name="Scores">I(φ) for every LoRA element and both systems (save as <see cref="ImportanceScores.FileName"/>).</param>
/// <param name="Warnings">What <see cref="ImportanceDiagnostics.Check"/> and the sampling found worth saying (e.g. dropped examples).</param>
/// <param name="Samples">Which examples of each split were scored.</param>
/// <param name="Moments">The sums the scores came from, with φ: every <see cref="ImportanceEstimator"/> can be computed from them.</param>
public sealed record ImportanceScoringResult(ImportanceScores Scores, IReadOnlyList<string> Warnings, IReadOnlyDictionary<ReasoningSystem, ScoringSample> Samples,
    ImportanceMoments? Moments = null) : IDisposable
{
    /// <summary>Frees the scores and moments.</summary>
    public void Dispose()
    {
        Scores.Dispose();
        Moments?.Dispose();
    }
}

/// <summary>
/// Scores every LoRA element for both systems (paper §3.3): samples N examples per split (seeded), computes each example's
/// gradient of the answer-only loss (<see cref="AnswerOnlyLoss"/>) for every LoRA tensor — in batches by default
/// (<see cref="GradientPath.Batched"/>), or one backward per example (<see cref="GradientPath.PerExampleLoop"/>) — and turns
/// Σₖ gₖ and Σₖ gₖ² into I(φ) = |ḡφ − ½F̂φ²| (<see cref="ImportanceAccumulator"/>). While scoring, the model is in eval mode
/// and the LoRA branch runs without dropout; afterwards the model's modules, modes and the adapter values are exactly as
/// before (checked). Works on the model's device.
/// </summary>
public sealed class ImportanceScorer(LlamaForCausalLM model, LoraAdapterSet adapters, int padId, ImportanceScorerOptions options)
{
    private readonly ImportanceScorerOptions options = options.Validated();

    /// <summary>
    /// Scores the splits in <paramref name="splits"/> (both systems must be present and non-empty after fitting to the
    /// maximum length). <paramref name="perExample"/>, when given, sees every batch's per-example gradients (batch, ...shape of each
    /// LoRA tensor) as they are added (not those of batches resumed from <paramref name="checkpoint"/>). All-zero scores (e.g. the usual B = 0 init) and non-finite scores are <see cref="LoraPar.Core.BadInputException"/>s
    /// whose message names the cause; <paramref name="progress"/> hears after every batch.
    /// </summary>
    /// <remarks>
    /// With <paramref name="checkpoint"/>, the sums so far are saved there on its cadence, after the last batch and when
    /// <paramref name="cancel"/> fires; a later call with the same file continues after the batches it holds and returns
    /// bit for bit the scores of an uninterrupted run (float64 sums, added in the same order).
    /// </remarks>
    public ImportanceScoringResult Score(IReadOnlyDictionary<ReasoningSystem, IReadOnlyList<AnswerExample>> splits,
        IProgress<ScoringProgress>? progress = null, CancellationToken cancel = default, ScoringCheckpoint? checkpoint = null,
        Action<ReasoningSystem, IReadOnlyDictionary<string, Tensor>>? perExample = null)
    {
        var samples = ReasoningSystemNames.All.ToDictionary(s => s, s => ScoringSample.Draw(
            s, splits.TryGetValue(s, out var split) ? split : [], options.SamplesPerSystem, options.MaxLength, options.Seed));
        var before = adapters.Snapshot();
        try
        {
            using var accumulator = Accumulate(samples, progress, cancel, checkpoint, perExample);
            CheckUnchanged(before);
            var parameters = adapters.Tensors.ToDictionary(kv => kv.Key, kv => (Tensor)kv.Value);
            var scores = accumulator.ToScores(parameters);
            ImportanceMoments? moments = null;
            try
            {
                var warnings = SampleWarnings(samples).Concat(ImportanceDiagnostics.Check(scores)).ToList();
                moments = accumulator.Moments(parameters);
                return new ImportanceScoringResult(scores, warnings, samples, moments);
            }
            catch
            {
                moments?.Dispose();
                scores.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var t in before.Values) t.Dispose();
        }
    }

    /// <summary>The sums over every batch of both samples (continuing after the batches <paramref name="checkpoint"/> holds); the caller owns them.</summary>
    private ImportanceAccumulator Accumulate(Dictionary<ReasoningSystem, ScoringSample> samples, IProgress<ScoringProgress>? progress,
        CancellationToken cancel, ScoringCheckpoint? checkpoint, Action<ReasoningSystem, IReadOnlyDictionary<string, Tensor>>? perExample)
    {
        using var modes = new ScoringModes(model);
        using var recompute = LayerCheckpoint.During(model, options.GradientCheckpointing);
        using var path = GradientPaths.Create(options.GradientPath, model, adapters, options.BatchSize);
        var batches = ReasoningSystemNames.All.SelectMany(s => samples[s].Batches(path.BatchSize).Select(b => (System: s, Examples: b))).ToList();
        var (accumulator, resumed) = checkpoint?.Resume(batches.Count, model.Device) ?? (new ImportanceAccumulator(model.Device), 0);
        try
        {
            new Accumulation(accumulator, path, padId, model.Device, batches, progress, checkpoint, perExample).Run(resumed, cancel);
            return accumulator;
        }
        catch
        {
            accumulator.Dispose();
            throw;
        }
    }

    /// <summary>Adds the gradients of every batch from <c>resumed</c> on, checkpointing on the cadence, at the end and at a cancellation.</summary>
    private sealed class Accumulation(ImportanceAccumulator accumulator, IPerExampleGradientPath path, int padId, Device device,
        List<(ReasoningSystem System, IReadOnlyList<AnswerExample> Examples)> batches, IProgress<ScoringProgress>? progress, ScoringCheckpoint? checkpoint,
        Action<ReasoningSystem, IReadOnlyDictionary<string, Tensor>>? perExample)
    {
        private readonly int total = batches.Sum(b => b.Examples.Count);
        private int saved;

        public void Run(int resumed, CancellationToken cancel)
        {
            var before = batches.Take(resumed).Sum(b => b.Examples.Count);
            var done = before;
            if (resumed > 0) progress?.Report(new ScoringProgress(batches[resumed - 1].System, done, total, before));
            var clock = checkpoint?.Cadence.Start();
            saved = resumed;
            for (var i = resumed; i < batches.Count; i++)
            {
                if (cancel.IsCancellationRequested && i > saved) Save(i);
                cancel.ThrowIfCancellationRequested();
                var (system, examples) = batches[i];
                using (var scope = NewDisposeScope())
                {
                    var batch = AnswerBatch.Collate(examples, padId, device);
                    var gradients = path.Gradients(batch);   // (B, ...shape) per LoRA tensor
                    accumulator.Add(system, gradients);
                    perExample?.Invoke(system, gradients);
                }
                done += examples.Count;
                progress?.Report(new ScoringProgress(system, done, total, before));
                if (clock is null || i + 1 < batches.Count && !clock.Due(i + 1)) continue;
                Save(i + 1);
                clock.Restart();
            }
        }

        private void Save(int batchesDone)
        {
            checkpoint?.Save(accumulator, batchesDone, batches.Count);
            saved = batchesDone;
        }
    }

    /// <summary>The adapters are where they were and hold the values they held (a failure here is a bug, not bad input).</summary>
    private void CheckUnchanged(IReadOnlyDictionary<string, Tensor> before)
    {
        foreach (var (path, layer) in adapters.Layers)
            if (!ReferenceEquals(ModuleSurgery.Get(model, path), layer))
                throw new InvalidOperationException($"scoring left '{path}' without its LoRA adapter");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (key, tensor) in adapters.Tensors)
            if (!tensor.shape.SequenceEqual(before[key].shape) || !tensor.eq(before[key]).all().item<bool>())
                throw new InvalidOperationException($"scoring changed the LoRA tensor '{key}'");
    }

    private static IEnumerable<string> SampleWarnings(Dictionary<ReasoningSystem, ScoringSample> samples) =>
        samples.Values.Where(s => s.Unfit > 0).Select(s =>
            $"{s.System.Label()}: {s.Unfit} of {s.Available} examples were left out of scoring because no response token fits " +
            "in importance.max_length (or the prompt or response is empty).");

    /// <summary>Eval mode and grad mode for the duration of scoring; restores every module's training flag afterwards.</summary>
    private sealed class ScoringModes : IDisposable
    {
        private readonly List<(nn.Module Module, bool Training)> training;
        private readonly IDisposable grad = enable_grad();

        public ScoringModes(LlamaForCausalLM model)
        {
            training = [(model, model.training), .. model.named_modules().Select(m => (m.module, m.module.training))];
            model.eval();
        }

        public void Dispose()
        {
            foreach (var (module, wasTraining) in training) module.train(wasTraining);
            grad.Dispose();
        }
    }
}

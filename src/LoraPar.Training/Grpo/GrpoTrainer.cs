using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Core;
using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Grpo.Rewards;
using LoraPar.Training.Guards;
using LoraPar.Training.Loop;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Precision;
using static TorchSharp.torch;

namespace LoraPar.Training.Grpo;

/// <summary>The outcome of a GRPO stage.</summary>
/// <param name="Steps">Optimizer steps of the stage (all done).</param>
/// <param name="ResumedFromStep">The step the run continued from (0 for a fresh start).</param>
/// <param name="History">Each step this process ran, in order.</param>
/// <param name="FinalCheckpoint">The checkpoint folder written at the end (its <c>adapter/</c> is the stage's adapter).</param>
/// <param name="TrainableElements">Active LoRA elements the optimizer updated.</param>
/// <param name="FrozenElementsChecked">Frozen LoRA elements verified bit-identical at the end.</param>
/// <param name="ReferenceElements">Stage-start values kept for the reference (0 when β = 0).</param>
/// <param name="SkippedSteps">fp16 steps skipped for gradient overflow (0 in float32 and bf16).</param>
/// <param name="FirstRollout">The stage's first rollout's figures (carried across a resume), or null when none was sampled.</param>
/// <param name="LastRollout">The stage's last rollout's figures (carried across a resume), or null when none was sampled.</param>
public sealed record GrpoResult(int Steps, int ResumedFromStep, IReadOnlyList<GrpoStepRecord> History, string FinalCheckpoint,
    long TrainableElements, long FrozenElementsChecked, long ReferenceElements, int SkippedSteps, RolloutFigures? FirstRollout = null,
    RolloutFigures? LastRollout = null);

/// <summary>
/// Stage 2 of LoRA-PAR (paper §3.4): GRPO on the System-2 prompts over the LoRA elements the stage-2 mask marks active.
/// Each rollout samples G completions per prompt with the KV-cache generator, scores them, and turns the rewards into
/// group advantages; the old log-probs (μ &gt; 1) and the reference log-probs are computed once per rollout; then μ
/// optimizer steps of the clipped policy loss with the k3 penalty, active-norm clipping and <see cref="MaskedAdamW"/>
/// (frozen elements are never written, weight decay included). The KL reference is the policy as the stage started —
/// the stage-1 (SFT) result — computed with the same model by <see cref="ReferencePolicy"/>, or with
/// <see cref="KlReference.Base"/> the base model (adapters off, as the authors' TRL did). Checkpoints every N steps
/// and at the end with the shared <see cref="TrainingCheckpoint"/> format, resumes exactly (prompt order, sampling and
/// dropout are pure functions of the seed and the step), stops at the first non-finite loss or gradient naming the
/// step, and proves at the end that every frozen element is bit-identical to its start value.
/// </summary>
public sealed class GrpoTrainer
{
    /// <summary>The stage name used in logs, checkpoints and errors.</summary>
    public const string StageName = "grpo";

    private const long OrderSalt = 0x6772_706F_6F72_6472L;             // "grpoordr": the prompt order's stream
    private readonly LlamaForCausalLM model;
    private readonly TextTokenizer tokenizer;
    private readonly LoraAdapterSet adapters;
    private readonly LoraMaskSet masks;
    private readonly GrpoOptions options;
    private readonly IGrpoReward reward;

    /// <summary>
    /// Trains the adapters injected into <paramref name="model"/> under <paramref name="masks"/> (the stage-2 mask), with
    /// <paramref name="reward"/> or, when null, the authors' summed rewards weighted by <see cref="GrpoOptions.Rewards"/> (auto
    /// rules read as the authors').
    /// The frozen base weights must be in the dtype <see cref="TrainingPrecisionPolicy.BaseDType"/> gives for
    /// <see cref="GrpoOptions.Precision"/> on the adapters' device.
    /// </summary>
    public GrpoTrainer(LlamaForCausalLM model, TextTokenizer tokenizer, LoraAdapterSet adapters, LoraMaskSet masks, GrpoOptions options,
        IGrpoReward? reward = null)
    {
        this.options = options.Validated();
        masks.CheckMatches(adapters.Tensors, "GRPO stage");
        this.model = model;
        this.tokenizer = tokenizer;
        this.adapters = adapters;
        this.masks = masks;
        this.reward = reward ?? new WeightedRewards(options.Rewards, options.RulesFor(synthetic: false));
    }

    /// <summary>Runs (or resumes, or — when its final checkpoint exists — confirms) the stage on <paramref name="data"/> (D2 only).</summary>
    public GrpoResult Train(GrpoData data, TrainingRun run, ITrainingMonitor? monitor = null, CancellationToken cancel = default)
    {
        monitor ??= NullTrainingMonitor.Instance;
        if (data.Prompts.Count == 0)
            throw new BadInputException($"{StageName}: the prompt split is empty; stage 2 trains on the System-2 questions (D2) — check the labels stage's split and the data filters.");
        var total = options.TotalSteps(data.Prompts.Count);
        using var recompute = LayerCheckpoint.During(model, options.GradientCheckpointing);
        using var loop = TrainingLoop.Begin(model, adapters, masks, Settings(total), run, monitor);
        using var reference = options.Loss.Beta != 0.0 && options.KlReference == KlReference.StageStart ? CaptureReference(loop.Resumed is null, run, loop.Masks) : null;
        using var body = new Steps(this, loop, data, options.RolloutsPerEpoch(data.Prompts.Count), reference, loop.Monitor);
        loop.Run(body, cancel);
        loop.VerifyFrozen(adapters);
        return new GrpoResult(total, loop.Start, body.History, loop.LastCheckpoint!, loop.Masks.TotalActive, loop.FrozenElements, reference?.Elements ?? 0,
            loop.SkippedSteps, body.FirstRollout, body.LastRollout);
    }

    /// <summary>
    /// The GRPO part of the shared step loop: a rollout every μ steps over a slice of its epoch's seeded prompt order,
    /// the policy step on it, the step history and logs. Owns the current rollout.
    /// </summary>
    private sealed class Steps(GrpoTrainer trainer, TrainingLoop loop, GrpoData data, int rolloutsPerEpoch, ReferencePolicy? reference,
        ITrainingMonitor monitor) : ITrainingStepBody<GrpoStepOutcome>, IDisposable
    {
        private readonly GrpoOptions options = trainer.options;
        private readonly RolloutCollector collector = new(trainer.model, trainer.tokenizer, trainer.adapters, trainer.reward, reference, trainer.options);
        private readonly GrpoStep step = new(trainer.model, trainer.adapters.Tensors, loop.Masks, loop.Optimizer, trainer.options);
        private readonly GrpoLogWindow window = new(logKl: trainer.options.Loss.Beta != 0.0);
        private (int Epoch, IReadOnlyList<int> Order)? epochOrder;
        private Rollout? rollout;
        private bool fresh;

        public List<GrpoStepRecord> History { get; } = [];

        /// <summary>The stage's first rollout (restored from the checkpoint resumed from, when it was sampled before).</summary>
        public RolloutFigures? FirstRollout { get; private set; } = RolloutFigures.Restore(loop.Resumed?.Metrics, RolloutFigures.First);

        /// <summary>The stage's latest rollout (restored from the checkpoint resumed from until a new one is sampled).</summary>
        public RolloutFigures? LastRollout { get; private set; } = RolloutFigures.Restore(loop.Resumed?.Metrics, RolloutFigures.Last);

        public GrpoStepOutcome Run(int s, double learningRate, DynamicLossScale scale)
        {
            var index = s / options.NumIterations;
            fresh = rollout?.Index != index;
            if (fresh)
            {
                rollout?.Dispose();
                rollout = null;
                rollout = Collect(index, s + 1);
            }
            return step.Run(rollout!, learningRate, scale);
        }

        public void Record(int s, double learningRate, GrpoStepOutcome outcome, bool log)
        {
            var index = s / options.NumIterations;
            var sampled = fresh ? rollout!.Summary : null;
            History.Add(new GrpoStepRecord(s + 1, index, outcome.Loss, outcome.GradNorm, learningRate, outcome.Kl, outcome.ClipFraction, outcome.MeanRatio, sampled,
                fresh ? rollout!.GenerationSeconds : 0, fresh ? rollout!.ReferenceSeconds : 0, outcome.Seconds));
            window.Add(outcome, sampled);
            if (sampled is not null)
            {
                LastRollout = RolloutFigures.Of(sampled);
                FirstRollout ??= LastRollout;
            }
            if (log) monitor.OnStep(window.Flush(s + 1, loop.Total, index / rolloutsPerEpoch, learningRate, outcome.GradNorm));
        }

        public (int Epoch, IReadOnlyDictionary<string, double> Metrics) CheckpointState(int done)
        {
            var last = History.Count > 0 ? History[^1] : null;
            var metrics = new Dictionary<string, double>
            {
                ["loss"] = last?.Loss ?? double.NaN,
                [GrpoMetrics.Reward] = LastRollout?.Reward ?? double.NaN,
            };
            FirstRollout?.Save(metrics, RolloutFigures.First);
            LastRollout?.Save(metrics, RolloutFigures.Last);
            return (done / options.NumIterations / rolloutsPerEpoch, metrics);
        }

        public void Dispose() => rollout?.Dispose();

        /// <summary>Samples rollout <paramref name="index"/> for 1-based step <paramref name="step"/>; non-finite probabilities or rewards stop the stage.</summary>
        private Rollout Collect(int index, int step)
        {
            Rollout collected;
            try
            {
                collected = collector.Collect(index, PromptsOf(index), data.BuildPrompt);
            }
            catch (NonFiniteLogitsException)
            {
                throw NonFiniteGuard.Stop("the next-token probabilities of the rollout became non-finite", StageName, step, loop.Total,
                    loop.LastCheckpoint, loop.Advice.ForNonFinite);
            }
            try
            {
                NonFiniteGuard.Check("reward", collected.Summary.Total.Mean, StageName, step, loop.Total, loop.LastCheckpoint, loop.Advice.ForNonFinite);
            }
            catch
            {
                collected.Dispose();
                throw;
            }
            return collected;
        }

        /// <summary>The prompts of rollout <paramref name="index"/>: a slice of its epoch's seeded shuffle of the split.</summary>
        private IReadOnlyList<GrpoExample> PromptsOf(int index)
        {
            var epoch = index / rolloutsPerEpoch;
            if (epochOrder?.Epoch != epoch)
                epochOrder = (epoch, DeterministicRandom.ForStream(options.Seed ^ OrderSalt, epoch).Shuffle(Enumerable.Range(0, data.Prompts.Count)));
            var slice = epochOrder.Value.Order.Skip(index % rolloutsPerEpoch * options.PromptsPerRollout).Take(options.PromptsPerRollout);
            return slice.Select(i => data.Prompts[i]).ToList();
        }
    }

    /// <summary>
    /// The reference: the stage-start values of the active elements — the current values on a fresh start, the saved
    /// stage-start file when resuming (the adapters then hold the checkpoint's values).
    /// </summary>
    private ReferencePolicy CaptureReference(bool fresh, TrainingRun run, LoraMaskSet deviceMasks)
    {
        if (fresh) return ReferencePolicy.Capture(adapters.Tensors, adapters.Tensors, deviceMasks);
        var start = TrainingCheckpoint.LoadStageStart(run.CheckpointDirectory)
            ?? throw new BadInputException($"{run.CheckpointDirectory}: has checkpoints but no {TrainingCheckpoint.StageStartFile}; delete the folder to start afresh.");
        try
        {
            return ReferencePolicy.Capture(adapters.Tensors, start, deviceMasks);
        }
        finally
        {
            foreach (var t in start.Values) t.Dispose();
        }
    }

    private TrainingLoopSettings Settings(int total) => new(StageName, total, options.Seed, options.LearningRate, options.WarmupRatio,
        options.LogEvery, options.CheckpointEvery, options.KeepCheckpoints, options.Precision, AdamW(), "rl", options.MaxUpdateRatio,
        options.NumIterations);

    private Adapters.Masks.AdamWOptions AdamW() => new()
    {
        LearningRate = options.LearningRate, Beta1 = options.Beta1, Beta2 = options.Beta2, Eps = options.AdamEpsilon, WeightDecay = options.WeightDecay,
    };
}

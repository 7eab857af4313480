using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Core;
using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Grpo.Rewards;
using LoraPar.Training.Guards;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Precision;
using LoraPar.Training.Schedules;
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
public sealed record GrpoResult(int Steps, int ResumedFromStep, IReadOnlyList<GrpoStepRecord> History, string FinalCheckpoint,
    long TrainableElements, long FrozenElementsChecked, long ReferenceElements, int SkippedSteps);

/// <summary>
/// Stage 2 of LoRA-PAR (paper §3.4): GRPO on the System-2 prompts over the LoRA elements the stage-2 mask marks active.
/// Each rollout samples G completions per prompt with the KV-cache generator, scores them, and turns the rewards into
/// group advantages; the old log-probs (μ &gt; 1) and the reference log-probs are computed once per rollout; then μ
/// optimizer steps of the clipped policy loss with the k3 penalty, active-norm clipping and <see cref="MaskedAdamW"/>
/// (frozen elements are never written, weight decay included). The KL reference is the policy as the stage started —
/// the stage-1 (SFT) result — computed with the same model by <see cref="ReferencePolicy"/>. Checkpoints every N steps
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
    /// <paramref name="reward"/> or, when null, the authors' summed rewards weighted by <see cref="GrpoOptions.Rewards"/>.
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
        this.reward = reward ?? new WeightedRewards(options.Rewards);
    }

    /// <summary>Runs (or resumes, or — when its final checkpoint exists — confirms) the stage on <paramref name="data"/> (D2 only).</summary>
    public GrpoResult Train(GrpoData data, TrainingRun run, ITrainingMonitor? monitor = null, CancellationToken cancel = default)
    {
        monitor ??= NullTrainingMonitor.Instance;
        if (data.Prompts.Count == 0)
            throw new BadInputException($"{StageName}: the prompt split is empty; stage 2 trains on the System-2 questions (D2) — check the labels stage's split and the data filters.");
        var device = adapters.Tensors.Values.First().device;
        var scale = TrainingPrecisionPolicy.InitialLossScale(model, options.Precision, device);
        var total = options.TotalSteps(data.Prompts.Count);
        using var deviceMasks = masks.To(device);
        using var optimizer = new MaskedAdamW(adapters.Tensors, deviceMasks, AdamW());
        var content = new CheckpointContent(adapters, deviceMasks, optimizer, run.BaseModelName);
        var begin = StageStart.Begin(StageName, run, content, total, options.Seed, monitor);
        using var guard = begin.Guard;
        using var reference = options.Loss.Beta != 0.0 ? CaptureReference(begin.State is null, run, deviceMasks) : null;
        if (begin.State is { } resumed) scale = new DynamicLossScale(resumed.LossScale, resumed.LossScaleCleanSteps);
        var loop = new Loop(data, total, options.RolloutsPerEpoch(data.Prompts.Count), device, begin.LastCheckpoint, scale);
        var start = begin.State?.Step ?? 0;
        var wasTraining = model.training;
        try
        {
            var collector = new RolloutCollector(model, tokenizer, adapters, reward, reference, options);
            var step = new GrpoStep(model, adapters.Tensors, deviceMasks, optimizer, options);
            RunSteps(loop, start, collector, step, content, run, monitor, cancel);
        }
        finally
        {
            model.train(wasTraining);
        }
        guard.Verify(adapters.Tensors, $"{StageName}, end of stage");
        return new GrpoResult(total, start, loop.History, loop.LastCheckpoint!, deviceMasks.TotalActive, guard.FrozenElements, reference?.Elements ?? 0,
            loop.SkippedSteps);
    }

    /// <summary>The mutable progress of one run of the step loop.</summary>
    private sealed class Loop(GrpoData data, int total, int rolloutsPerEpoch, Device device, string? lastCheckpoint, DynamicLossScale scale)
    {
        public DynamicLossScale Scale { get; set; } = scale;
        public int SkippedSteps { get; set; }
        public GrpoData Data { get; } = data;
        public int Total { get; } = total;
        public int RolloutsPerEpoch { get; } = rolloutsPerEpoch;
        public Device Device { get; } = device;
        public string? LastCheckpoint { get; set; } = lastCheckpoint;
        public List<GrpoStepRecord> History { get; } = [];
        public (int Epoch, IReadOnlyList<int> Order)? EpochOrder { get; set; }
    }

    private void RunSteps(Loop loop, int start, RolloutCollector collector, GrpoStep step, CheckpointContent content, TrainingRun run,
        ITrainingMonitor monitor, CancellationToken cancel)
    {
        var schedule = new WarmupCosineSchedule(options.LearningRate, loop.Total, options.WarmupRatio);
        var window = new GrpoLogWindow(logKl: options.Loss.Beta != 0.0);
        Rollout? rollout = null;
        try
        {
            for (var s = start; s < loop.Total; s++)
            {
                cancel.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();                            // the rollout's tensors are owned by the rollout, not by this scope
                DropoutRandom.Reseed(options.Seed, s, loop.Device);
                var index = s / options.NumIterations;
                var fresh = rollout?.Index != index;
                if (fresh)
                {
                    rollout?.Dispose();
                    rollout = null;
                    rollout = collector.Collect(index, PromptsOf(loop, index), loop.Data.BuildPrompt);
                }
                var lr = schedule.LearningRateAt(s);
                var outcome = step.Run(rollout!, lr, loop.Scale);
                NonFiniteGuard.CheckLoss(outcome.Loss, StageName, s + 1, loop.Total, loop.LastCheckpoint);
                if (!outcome.Updated) SkipOverflow(loop, outcome, s);
                else if (loop.Scale.Scale != 1.0) loop.Scale = loop.Scale.After(finite: true);
                var sampled = fresh ? rollout!.Summary : null;
                loop.History.Add(new GrpoStepRecord(s + 1, index, outcome.Loss, outcome.GradNorm, lr, outcome.Kl, outcome.ClipFraction, outcome.MeanRatio, sampled,
                    fresh ? rollout!.GenerationSeconds : 0, fresh ? rollout!.ReferenceSeconds : 0, outcome.Seconds));
                window.Add(outcome, sampled);
                var done = s + 1;
                var epoch = index / loop.RolloutsPerEpoch;
                if (done % options.LogEvery == 0 || done == loop.Total) monitor.OnStep(window.Flush(done, loop.Total, epoch, lr, outcome.GradNorm));
                if (done == loop.Total || options.CheckpointEvery > 0 && done % options.CheckpointEvery == 0)
                    loop.LastCheckpoint = Checkpoint(content, run, loop, done, monitor);
            }
        }
        finally
        {
            rollout?.Dispose();
        }
    }

    /// <summary>
    /// A step whose gradient was not finite: with fp16 loss scaling it is skipped (the step still counts) and the scale
    /// halves; without loss scaling, or once the scale is exhausted, the stage fails naming the step.
    /// </summary>
    private static void SkipOverflow(Loop loop, GrpoStepOutcome outcome, int s)
    {
        var next = loop.Scale.After(finite: false);
        if (loop.Scale.Scale == 1.0 || next.Exhausted)
            NonFiniteGuard.CheckGradientNorm(outcome.GradNorm, StageName, s + 1, loop.Total, loop.LastCheckpoint);
        loop.Scale = next;
        loop.SkippedSteps++;
    }

    /// <summary>The prompts of rollout <paramref name="index"/>: a slice of its epoch's seeded shuffle of the split.</summary>
    private IReadOnlyList<GrpoExample> PromptsOf(Loop loop, int index)
    {
        var epoch = index / loop.RolloutsPerEpoch;
        if (loop.EpochOrder?.Epoch != epoch)
            loop.EpochOrder = (epoch, DeterministicRandom.ForStream(options.Seed ^ OrderSalt, epoch).Shuffle(Enumerable.Range(0, loop.Data.Prompts.Count)));
        var slice = loop.EpochOrder.Value.Order.Skip(index % loop.RolloutsPerEpoch * options.PromptsPerRollout).Take(options.PromptsPerRollout);
        return slice.Select(i => loop.Data.Prompts[i]).ToList();
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

    private string Checkpoint(CheckpointContent content, TrainingRun run, Loop loop, int done, ITrainingMonitor monitor)
    {
        var last = loop.History.Count > 0 ? loop.History[^1] : null;
        var lastRollout = loop.History.LastOrDefault(h => h.Sampled is not null)?.Sampled;
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = last?.Loss ?? double.NaN,
            [GrpoMetrics.Reward] = lastRollout?.Total.Mean ?? double.NaN,
        };
        var state = new TrainerState
        {
            Stage = StageName, Step = done, TotalSteps = loop.Total, Epoch = done / options.NumIterations / loop.RolloutsPerEpoch,
            Seed = options.Seed, LearningRate = content.Optimizer.LearningRate, LossScale = loop.Scale.Scale, LossScaleCleanSteps = loop.Scale.CleanSteps,
            Metrics = metrics,
        };
        var path = TrainingCheckpoint.Save(run.CheckpointDirectory, content, state);
        TrainingCheckpoint.Prune(run.CheckpointDirectory, options.KeepCheckpoints);
        monitor.OnCheckpoint(new CheckpointLog(StageName, done, path));
        return path;
    }

    private Adapters.Masks.AdamWOptions AdamW() => new()
    {
        LearningRate = options.LearningRate, Beta1 = options.Beta1, Beta2 = options.Beta2, Eps = options.AdamEpsilon, WeightDecay = options.WeightDecay,
    };
}

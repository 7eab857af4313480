using System.Diagnostics;
using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Core;
using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;
using LoraPar.Synthetic;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Grpo.Rewards;
using LoraPar.Training.Guards;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Precision;
using LoraPar.Training.Schedules;
using TorchSharp;
using static TorchSharp.torch;
using Generator = LoraPar.Model.Generation.Generator;

namespace LoraPar.Training.Grpo;

/// <summary>
/// Stage 2 of LoRA-PAR (paper §3.4): GRPO on the System-2 prompts, training only the LoRA elements the stage-2 mask marks
/// active. Each rollout samples G completions per prompt with the KV cache, scores them with the reward functions and
/// normalises the rewards per group; μ optimizer steps then reuse it (old log-probs from sampling time). The KL penalty is
/// taken against the stage-start model (for LoRA-PAR the stage-1 SFT result) through the same weights
/// (<see cref="StageStartReference"/>). Checkpoints, exact resume, non-finite guards and the end-of-stage frozen-element
/// check work as in SFT.
/// </summary>
public sealed class GrpoTrainer
{
    /// <summary>The stage name used in logs, checkpoints and errors.</summary>
    public const string StageName = "grpo";

    private readonly LlamaForCausalLM model;
    private readonly TextTokenizer tokenizer;
    private readonly LoraAdapterSet adapters;
    private readonly LoraMaskSet masks;
    private readonly GrpoOptions options;
    private readonly RewardSet rewards;

    /// <summary>Trains the adapters injected into <paramref name="model"/> under <paramref name="masks"/>.</summary>
    public GrpoTrainer(LlamaForCausalLM model, TextTokenizer tokenizer, LoraAdapterSet adapters, LoraMaskSet masks, GrpoOptions options)
    {
        this.options = options.Validated();
        masks.CheckMatches(adapters.Tensors, "GRPO stage");
        rewards = new RewardSet(options.Rewards);
        this.model = model;
        this.tokenizer = tokenizer;
        this.adapters = adapters;
        this.masks = masks;
    }

    /// <summary>Runs (or resumes, or — when its final checkpoint exists — confirms) the stage on <paramref name="prompts"/> (D2).</summary>
    public GrpoResult Train(IReadOnlyList<GrpoPrompt> prompts, TrainingRun run, ITrainingMonitor? monitor = null, CancellationToken cancel = default)
    {
        monitor ??= NullTrainingMonitor.Instance;
        if (prompts.Count == 0)
            throw new BadInputException($"{StageName}: the training split is empty; stage 2 trains on the System-2 prompts — check the labels stage's split and the data filters.");
        var device = model.Device;
        var scale = TrainingPrecisionPolicy.InitialLossScale(model, options.Precision, device);
        var total = options.TotalSteps(prompts.Count);
        using var deviceMasks = masks.To(device);
        using var optimizer = new MaskedAdamW(adapters.Tensors, deviceMasks, new AdamWOptions
        {
            LearningRate = options.LearningRate, Beta1 = options.Beta1, Beta2 = options.Beta2, Eps = options.Epsilon, WeightDecay = options.WeightDecay,
        });
        var content = new CheckpointContent(adapters, deviceMasks, optimizer, run.BaseModelName);
        var begin = StageStart.Begin(StageName, run, content, total, options.Seed, monitor);
        using var guard = begin.Guard;
        using var reference = Reference(run, deviceMasks);
        var resumed = begin.State;
        if (resumed is not null) scale = new DynamicLossScale(resumed.LossScale, resumed.LossScaleCleanSteps);
        var loop = new Loop(prompts, total, begin.LastCheckpoint, scale);
        var wasTraining = model.training;
        try
        {
            RunSteps(loop, resumed?.Step ?? 0, content, run, reference, new GrpoUpdate(model, adapters.Tensors, deviceMasks, optimizer, options), monitor, cancel);
        }
        finally
        {
            loop.Rollout?.Dispose();
            model.train(wasTraining);
        }
        guard.Verify(adapters.Tensors, $"{StageName}, end of stage");
        var timing = new GrpoTiming(loop.RolloutSeconds, loop.ReferenceSeconds, loop.UpdateSeconds, loop.Completions);
        return new GrpoResult(total, resumed?.Step ?? 0, loop.StepRewards, loop.StepAccuracy, loop.LastCheckpoint!, deviceMasks.TotalActive,
            guard.FrozenElements, timing);
    }

    /// <summary>The mutable progress of one run of the step loop.</summary>
    private sealed class Loop(IReadOnlyList<GrpoPrompt> prompts, int total, string? lastCheckpoint, DynamicLossScale scale)
    {
        public IReadOnlyList<GrpoPrompt> Prompts { get; } = prompts;
        public int Total { get; } = total;
        public string? LastCheckpoint { get; set; } = lastCheckpoint;
        public DynamicLossScale Scale { get; set; } = scale;
        public Rollout? Rollout { get; set; }
        public List<double> StepRewards { get; } = [];
        public List<double> StepAccuracy { get; } = [];
        public LogWindow Window { get; } = new();
        public double RolloutSeconds { get; set; }
        public double ReferenceSeconds { get; set; }
        public double UpdateSeconds { get; set; }
        public long Completions { get; set; }
    }

    private void RunSteps(Loop loop, int start, CheckpointContent content, TrainingRun run, StageStartReference reference, GrpoUpdate update,
        ITrainingMonitor monitor, CancellationToken cancel)
    {
        var schedule = new WarmupCosineSchedule(options.LearningRate, loop.Total, options.WarmupRatio);
        for (var s = start; s < loop.Total; s++)
        {
            cancel.ThrowIfCancellationRequested();
            if (s % options.NumIterations == 0) NewRollout(loop, s / options.NumIterations, reference);
            var rollout = loop.Rollout!;
            DropoutRandom.Reseed(options.Seed, s, model.Device);
            var lr = schedule.LearningRateAt(s);
            var clock = Stopwatch.StartNew();
            model.train();
            var outcome = update.Run(rollout, lr, loop.Scale);
            loop.UpdateSeconds += clock.Elapsed.TotalSeconds;
            NonFiniteGuard.CheckLoss(outcome.Loss, StageName, s + 1, loop.Total, loop.LastCheckpoint);
            if (!outcome.Updated) SkipOverflow(loop, outcome.GradNorm, s);
            else if (loop.Scale.Scale != 1.0) loop.Scale = loop.Scale.After(finite: true);
            var mean = GroupAdvantages.Mean(rollout.Rewards.Total);
            loop.StepRewards.Add(mean);
            loop.StepAccuracy.Add(rollout.Accuracy);
            loop.Window.Add(outcome.Loss, rollout.Completions.Sum(c => (long)c.TokenIds.Count));
            var done = s + 1;
            if (done % options.LogEvery == 0 || done == loop.Total)
                monitor.OnStep(loop.Window.Flush(StageName, done, loop.Total, Epoch(loop, s), lr, outcome.GradNorm, Figures(rollout, outcome)));
            if (done == loop.Total || options.CheckpointEvery > 0 && done % options.CheckpointEvery == 0)
                loop.LastCheckpoint = Checkpoint(content, run, loop, done, mean, monitor);
        }
    }

    /// <summary>Samples the rollout of index <paramref name="index"/> in eval mode and fills its old and reference log-probs.</summary>
    private void NewRollout(Loop loop, int index, StageStartReference reference)
    {
        loop.Rollout?.Dispose();
        loop.Rollout = null;
        model.eval();
        var clock = Stopwatch.StartNew();
        var rollout = Rollout.Sample(new Generator(model, tokenizer), PromptsOf(loop, index), options, rewards, DropoutRandom.SeedFor(options.Seed ^ 0x5A5A, index));
        loop.RolloutSeconds += clock.Elapsed.TotalSeconds;
        loop.Completions += rollout.Completions.Count;
        clock.Restart();
        if (options.NumIterations > 1) rollout.SetOldLogProbs(model);
        if (options.Loss.Beta != 0.0)
        {
            using var swapped = reference.Swapped();
            rollout.SetReferenceLogProbs(model);
        }
        loop.ReferenceSeconds += clock.Elapsed.TotalSeconds;
        loop.Rollout = rollout;
    }

    /// <summary>The prompts of rollout <paramref name="index"/>: the epoch's seeded order, <see cref="GrpoOptions.PromptsPerStep"/> at a time.</summary>
    private List<GrpoPrompt> PromptsOf(Loop loop, int index)
    {
        var perEpoch = options.RolloutsPerEpoch(loop.Prompts.Count);
        var order = DeterministicRandom.ForStream(options.Seed, index / perEpoch).Shuffle(Enumerable.Range(0, loop.Prompts.Count));
        return order.Skip(index % perEpoch * options.PromptsPerStep).Take(options.PromptsPerStep).Select(i => loop.Prompts[i]).ToList();
    }

    private int Epoch(Loop loop, int step) => step / options.NumIterations / options.RolloutsPerEpoch(loop.Prompts.Count);

    private Dictionary<string, double> Figures(Rollout rollout, GrpoStepOutcome outcome)
    {
        var figures = new Dictionary<string, double>
        {
            ["reward"] = GroupAdvantages.Mean(rollout.Rewards.Total),
            ["reward_std"] = rollout.Rewards.Total.Length > 1 ? GroupAdvantages.UnbiasedStd(rollout.Rewards.Total, GroupAdvantages.Mean(rollout.Rewards.Total)) : 0,
            ["accuracy"] = rollout.Accuracy,
            ["kl"] = outcome.MeanKl,
            ["clip_ratio"] = outcome.ClipFraction,
            ["completion_length"] = rollout.Completions.Average(c => c.TokenIds.Count),
            ["frac_reward_zero_std"] = rollout.Advantages.FractionZeroStdGroups,
        };
        foreach (var (kind, values) in rollout.Rewards.PerFunction)
        {
            figures[$"rewards/{kind}/mean"] = GroupAdvantages.Mean(values);
            figures[$"rewards/{kind}/std"] = values.Length > 1 ? GroupAdvantages.UnbiasedStd(values, GroupAdvantages.Mean(values)) : 0;
        }
        return figures;
    }

    private static void SkipOverflow(Loop loop, double gradNorm, int s)
    {
        var next = loop.Scale.After(finite: false);
        if (loop.Scale.Scale == 1.0 || next.Exhausted) NonFiniteGuard.CheckGradientNorm(gradNorm, StageName, s + 1, loop.Total, loop.LastCheckpoint);
        loop.Scale = next;
    }

    private string Checkpoint(CheckpointContent content, TrainingRun run, Loop loop, int done, double meanReward, ITrainingMonitor monitor)
    {
        var state = new TrainerState
        {
            Stage = StageName, Step = done, TotalSteps = loop.Total, Epoch = Epoch(loop, done), Seed = options.Seed,
            LearningRate = content.Optimizer.LearningRate, LossScale = loop.Scale.Scale, LossScaleCleanSteps = loop.Scale.CleanSteps,
            Metrics = new Dictionary<string, double> { ["reward"] = meanReward },
        };
        var path = TrainingCheckpoint.Save(run.CheckpointDirectory, content, state);
        TrainingCheckpoint.Prune(run.CheckpointDirectory, options.KeepCheckpoints);
        monitor.OnCheckpoint(new CheckpointLog(StageName, done, path));
        return path;
    }

    private StageStartReference Reference(TrainingRun run, LoraMaskSet deviceMasks)
    {
        var start = TrainingCheckpoint.LoadStageStart(run.CheckpointDirectory)
            ?? throw new InvalidOperationException($"{run.CheckpointDirectory}: the stage-start values were not saved");
        try
        {
            return StageStartReference.Create(adapters.Tensors, deviceMasks, start);
        }
        finally
        {
            foreach (var t in start.Values) t.Dispose();
        }
    }
}

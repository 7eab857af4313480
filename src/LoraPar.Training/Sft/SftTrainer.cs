using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Core;
using LoraPar.Model.Objectives;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Data;
using LoraPar.Training.Guards;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Precision;
using LoraPar.Training.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Sft;

/// <summary>
/// Stage 1 of LoRA-PAR (paper §3.4): supervised fine-tuning of the LoRA elements a mask marks active, with the answer-only
/// loss, gradient accumulation, warm-up + cosine schedule, active-norm clipping and <see cref="MaskedAdamW"/> (frozen
/// elements are never written; optimizer state is packed). Checkpoints every N steps and at the end, resumes exactly,
/// stops at the first non-finite loss or gradient, and proves at the end that every frozen element is bit-identical to
/// its start value. <c>full</c>, <c>random</c> and importance masks all take this path.
/// </summary>
public sealed class SftTrainer
{
    /// <summary>The stage name used in logs, checkpoints and errors.</summary>
    public const string StageName = "sft";

    private readonly nn.Module<Tensor, Tensor> model;
    private readonly LoraAdapterSet adapters;
    private readonly LoraMaskSet masks;
    private readonly SftOptions options;

    /// <summary>
    /// Trains the adapters injected into <paramref name="model"/> (a causal LM mapping ids (B, T) to logits (B, T, V), e.g.
    /// <c>LlamaForCausalLM</c>) under <paramref name="masks"/>. The frozen base weights must be in the dtype
    /// <see cref="TrainingPrecisionPolicy.BaseDType"/> gives for <see cref="SftOptions.Precision"/> on the adapters' device.
    /// </summary>
    public SftTrainer(nn.Module<Tensor, Tensor> model, LoraAdapterSet adapters, LoraMaskSet masks, SftOptions options)
    {
        this.options = options.Validated();
        masks.CheckMatches(adapters.Tensors, "SFT stage");
        this.model = model;
        this.adapters = adapters;
        this.masks = masks;
    }

    /// <summary>Runs (or resumes, or — when its final checkpoint exists — confirms) the stage.</summary>
    public SftResult Train(SftData data, TrainingRun run, ITrainingMonitor? monitor = null, CancellationToken cancel = default)
    {
        monitor ??= NullTrainingMonitor.Instance;
        var train = SftDataset.Prepare(data.Train, options.Batching.MaxLength);
        if (train.Examples.Count == 0) throw EmptySplit(data.Train.Count, train.Dropped);
        var eval = SftDataset.Prepare(data.Eval, options.Batching.MaxLength).Examples;
        var device = adapters.Tensors.Values.First().device;
        var scale = TrainingPrecisionPolicy.InitialLossScale(model, options.Precision, device);
        var lengths = train.Examples.Select(e => e.Length).ToList();
        var batchesPerEpoch = SftBatcher.BatchesPerEpoch(lengths, options.Batching, options.Seed);
        var stepsPerEpoch = options.StepsPerEpoch(batchesPerEpoch);
        var total = options.TotalSteps(batchesPerEpoch);

        using var deviceMasks = masks.To(device);
        using var optimizer = new MaskedAdamW(adapters.Tensors, deviceMasks, AdamW());
        var content = new CheckpointContent(adapters, deviceMasks, optimizer, run.BaseModelName);
        var begin = StageStart.Begin(StageName, run, content, total, options.Seed, monitor);
        using var guard = begin.Guard;
        var resumed = begin.State;
        if (resumed is not null) scale = new DynamicLossScale(resumed.LossScale, resumed.LossScaleCleanSteps);
        var loop = new Loop(train.Examples, lengths, stepsPerEpoch, total, device, data.PadId, begin.LastCheckpoint, scale);
        var wasTraining = model.training;
        model.train();
        try
        {
            RunSteps(loop, resumed?.Step ?? 0, eval, content, run, monitor, optimizer, deviceMasks, cancel);
        }
        finally
        {
            model.train(wasTraining);
        }
        if (resumed?.Step == total && eval.Count > 0) loop.FinalEval = Evaluate(eval, total, device, data.PadId, monitor);
        guard.Verify(adapters.Tensors, $"{StageName}, end of stage");
        return new SftResult(total, resumed?.Step ?? 0, loop.LastLoss, loop.FinalEval, loop.StepLosses, loop.LastCheckpoint!, train.Dropped,
            deviceMasks.TotalActive, guard.FrozenElements, loop.SkippedSteps);
    }

    /// <summary>The mean answer-token loss of the current model on <paramref name="examples"/>.</summary>
    public double EvaluationLoss(IReadOnlyList<AnswerExample> examples, int padId)
    {
        var prepared = SftDataset.Prepare(examples, options.Batching.MaxLength).Examples;
        return SftEvaluator.Loss(model, prepared, options.Batching.BatchSize, padId, adapters.Tensors.Values.First().device).Loss;
    }

    /// <summary>The mutable progress of one run of the step loop.</summary>
    private sealed class Loop(IReadOnlyList<AnswerExample> examples, IReadOnlyList<int> lengths, int stepsPerEpoch, int total, Device device,
        int padId, string? lastCheckpoint, DynamicLossScale scale)
    {
        public IReadOnlyList<AnswerExample> Examples { get; } = examples;
        public IReadOnlyList<int> Lengths { get; } = lengths;
        public int StepsPerEpoch { get; } = stepsPerEpoch;
        public int Total { get; } = total;
        public Device Device { get; } = device;
        public int PadId { get; } = padId;
        public string? LastCheckpoint { get; set; } = lastCheckpoint;
        public DynamicLossScale Scale { get; set; } = scale;
        public List<double> StepLosses { get; } = [];
        public double LastLoss { get; set; } = double.NaN;
        public double? FinalEval { get; set; }
        public int SkippedSteps { get; set; }
        public LogWindow Window { get; } = new();
        public (int Epoch, IReadOnlyList<SftBatchPlan> Plan)? EpochPlan { get; set; }
    }

    private void RunSteps(Loop loop, int start, IReadOnlyList<AnswerExample> eval, CheckpointContent content, TrainingRun run,
        ITrainingMonitor monitor, MaskedAdamW optimizer, LoraMaskSet deviceMasks, CancellationToken cancel)
    {
        var schedule = new WarmupCosineSchedule(options.LearningRate, loop.Total, options.WarmupRatio);
        var step = new SftStep(model, adapters.Tensors, deviceMasks, optimizer, options.MaxGradNorm, loop.PadId, loop.Device);
        for (var s = start; s < loop.Total; s++)
        {
            cancel.ThrowIfCancellationRequested();
            DropoutRandom.Reseed(options.Seed, s, loop.Device);
            var epoch = s / loop.StepsPerEpoch;
            var lr = schedule.LearningRateAt(s);
            var outcome = step.Run(loop.Examples, MicroBatches(loop, s), lr, loop.Scale);
            NonFiniteGuard.CheckLoss(outcome.Loss, StageName, s + 1, loop.Total, loop.LastCheckpoint);
            if (!outcome.Updated) SkipOverflow(loop, outcome, s);
            else if (loop.Scale.Scale != 1.0) loop.Scale = loop.Scale.After(finite: true);
            loop.StepLosses.Add(outcome.Loss);
            loop.Window.Add(outcome.Loss, outcome.RealTokens);
            var done = s + 1;
            if (done % options.LogEvery == 0 || done == loop.Total)
            {
                var log = loop.Window.Flush(StageName, done, loop.Total, epoch, lr, outcome.GradNorm);
                loop.LastLoss = log.Loss;
                monitor.OnStep(log);
            }
            var last = done == loop.Total;
            double? evalLoss = eval.Count > 0 && (last || options.EvalEvery > 0 && done % options.EvalEvery == 0)
                ? Evaluate(eval, done, loop.Device, loop.PadId, monitor) : null;
            if (last) loop.FinalEval = evalLoss;
            if (last || options.CheckpointEvery > 0 && done % options.CheckpointEvery == 0)
                loop.LastCheckpoint = Checkpoint(content, run, loop, done, evalLoss, monitor);
        }
    }

    /// <summary>
    /// A step whose gradient was not finite: with fp16 loss scaling it is skipped (the step still counts) and the scale
    /// halves; without loss scaling, or once the scale is exhausted, the stage fails naming the step.
    /// </summary>
    private static void SkipOverflow(Loop loop, SftStepOutcome outcome, int s)
    {
        var next = loop.Scale.After(finite: false);
        if (loop.Scale.Scale == 1.0 || next.Exhausted)
            NonFiniteGuard.CheckGradientNorm(outcome.GradNorm, StageName, s + 1, loop.Total, loop.LastCheckpoint);
        loop.Scale = next;
        loop.SkippedSteps++;
    }

    private IReadOnlyList<SftBatchPlan> MicroBatches(Loop loop, int s)
    {
        var epoch = s / loop.StepsPerEpoch;
        if (loop.EpochPlan?.Epoch != epoch)
            loop.EpochPlan = (epoch, SftBatcher.Plan(loop.Lengths, options.Batching, options.Seed, epoch));
        var accumulation = options.GradientAccumulationSteps;
        return loop.EpochPlan.Value.Plan.Skip(s % loop.StepsPerEpoch * accumulation).Take(accumulation).ToList();
    }

    private double Evaluate(IReadOnlyList<AnswerExample> eval, int step, Device device, int padId, ITrainingMonitor monitor)
    {
        var (loss, tokens) = SftEvaluator.Loss(model, eval, options.Batching.BatchSize, padId, device);
        monitor.OnEvaluation(new EvaluationLog(StageName, step, loss, tokens));
        return loss;
    }

    private string Checkpoint(CheckpointContent content, TrainingRun run, Loop loop, int done, double? evalLoss, ITrainingMonitor monitor)
    {
        var metrics = new Dictionary<string, double> { ["loss"] = loop.StepLosses.Count > 0 ? loop.StepLosses[^1] : double.NaN };
        if (evalLoss is { } e) metrics["eval_loss"] = e;
        var state = new TrainerState
        {
            Stage = StageName, Step = done, TotalSteps = loop.Total, Epoch = done / loop.StepsPerEpoch, Seed = options.Seed,
            LearningRate = content.Optimizer.LearningRate, LossScale = loop.Scale.Scale, LossScaleCleanSteps = loop.Scale.CleanSteps,
            Metrics = metrics,
        };
        var path = TrainingCheckpoint.Save(run.CheckpointDirectory, content, state);
        TrainingCheckpoint.Prune(run.CheckpointDirectory, options.KeepCheckpoints);
        monitor.OnCheckpoint(new CheckpointLog(StageName, done, path));
        return path;
    }

    private AdamWOptions AdamW() => new()
    {
        LearningRate = options.LearningRate, Beta1 = options.Beta1, Beta2 = options.Beta2, Eps = options.AdamEpsilon, WeightDecay = options.WeightDecay,
    };

    private static BadInputException EmptySplit(int given, int dropped) => new(given == 0
        ? $"{StageName}: the training split is empty; stage 1 trains on the System-1 examples — check the labels stage's split and the data filters."
        : $"{StageName}: all {given} training examples were dropped because their prompts alone fill max_length; raise max_length or shorten the prompts.");
}

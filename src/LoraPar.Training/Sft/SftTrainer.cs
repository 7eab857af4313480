using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Core;
using LoraPar.Model.Llama;
using LoraPar.Model.Objectives;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Data;
using LoraPar.Training.Loop;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Precision;
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

    /// <summary>
    /// Runs (or resumes, or — when its final checkpoint exists — confirms) the stage. <paramref name="epochEnd"/>, when given,
    /// is called with the epoch number (1, 2, …) right after the last step of every epoch but the last, while the adapters
    /// hold that epoch's values (an epoch checkpoint; the caller saves what it needs before the next step runs).
    /// </summary>
    public SftResult Train(SftData data, TrainingRun run, ITrainingMonitor? monitor = null, CancellationToken cancel = default,
        Action<int>? epochEnd = null)
    {
        monitor ??= NullTrainingMonitor.Instance;
        var train = SftDataset.Prepare(data.Train, options.Batching.MaxLength);
        if (train.Examples.Count == 0) throw EmptySplit(data.Train.Count, train.Dropped);
        var eval = SftDataset.Prepare(data.Eval, options.Batching.MaxLength).Examples;
        var lengths = train.Examples.Select(e => e.Length).ToList();
        var batchesPerEpoch = SftBatcher.BatchesPerEpoch(lengths, options.Batching, options.Seed);
        var total = options.TotalSteps(batchesPerEpoch);
        using var recompute = LayerCheckpoint.During(model, options.GradientCheckpointing);
        using var loop = TrainingLoop.Begin(model, adapters, masks, Settings(total), run, monitor);
        var body = new Steps(this, loop, train.Examples, lengths, options.StepsPerEpoch(batchesPerEpoch), eval, data.PadId, loop.Monitor)
        {
            EpochEnd = epochEnd,
        };
        loop.Run(body, cancel);
        if (loop.Resumed?.Step == total && eval.Count > 0) body.FinalEval = Evaluate(eval, total, loop.Device, data.PadId, loop.Monitor);
        loop.VerifyFrozen(adapters);
        return new SftResult(total, loop.Start, body.LastLoss, body.FinalEval, body.StepLosses, loop.LastCheckpoint!, train.Dropped,
            loop.Masks.TotalActive, loop.FrozenElements, loop.SkippedSteps);
    }

    /// <summary>The mean answer-token loss of the current model on <paramref name="examples"/>.</summary>
    public double EvaluationLoss(IReadOnlyList<AnswerExample> examples, int padId)
    {
        var prepared = SftDataset.Prepare(examples, options.Batching.MaxLength).Examples;
        return SftEvaluator.Loss(model, prepared, options.Batching.BatchSize, padId, adapters.Tensors.Values.First().device).Loss;
    }

    /// <summary>The SFT part of the shared step loop: micro-batch plans per epoch, the step itself, losses, logs and evaluations.</summary>
    private sealed class Steps(SftTrainer trainer, TrainingLoop loop, IReadOnlyList<AnswerExample> examples, IReadOnlyList<int> lengths,
        int stepsPerEpoch, IReadOnlyList<AnswerExample> eval, int padId, ITrainingMonitor monitor) : ITrainingStepBody<SftStepOutcome>
    {
        private readonly SftOptions options = trainer.options;
        private readonly SftStep step = new(trainer.model, trainer.adapters.Tensors, loop.Masks, loop.Optimizer, trainer.options.MaxGradNorm, padId, loop.Device);
        private readonly LogWindow window = new();
        private (int Epoch, IReadOnlyList<SftBatchPlan> Plan)? epochPlan;
        private double? stepEval;

        public List<double> StepLosses { get; } = [];
        /// <summary>The loss of the last step log (restored from the checkpoint resumed from until a new one is logged).</summary>
        public double LastLoss { get; private set; } = loop.Resumed?.Log is [.., var restored] ? restored.Loss : double.NaN;
        public double? FinalEval { get; set; }
        public Action<int>? EpochEnd { get; init; }

        public SftStepOutcome Run(int s, double learningRate, DynamicLossScale scale) => step.Run(examples, MicroBatches(s), learningRate, scale);

        public void Record(int s, double learningRate, SftStepOutcome outcome, bool log)
        {
            StepLosses.Add(outcome.Loss);
            window.Add(outcome.Loss, outcome.RealTokens);
            var done = s + 1;
            if (log)
            {
                var entry = window.Flush(StageName, done, loop.Total, s / stepsPerEpoch, learningRate, outcome.GradNorm);
                LastLoss = entry.Loss;
                monitor.OnStep(entry);
            }
            var last = done == loop.Total;
            stepEval = eval.Count > 0 && (last || options.EvalEvery > 0 && done % options.EvalEvery == 0)
                ? trainer.Evaluate(eval, done, loop.Device, padId, monitor) : null;
            if (last) FinalEval = stepEval;
            else if (done % stepsPerEpoch == 0) EpochEnd?.Invoke(done / stepsPerEpoch);
        }

        public (int Epoch, IReadOnlyDictionary<string, double> Metrics) CheckpointState(int done)
        {
            var metrics = new Dictionary<string, double> { ["loss"] = StepLosses.Count > 0 ? StepLosses[^1] : double.NaN };
            if (stepEval is { } e) metrics["eval_loss"] = e;
            return (done / stepsPerEpoch, metrics);
        }

        private IReadOnlyList<SftBatchPlan> MicroBatches(int s)
        {
            var epoch = s / stepsPerEpoch;
            if (epochPlan?.Epoch != epoch) epochPlan = (epoch, SftBatcher.Plan(lengths, options.Batching, options.Seed, epoch));
            var accumulation = options.GradientAccumulationSteps;
            return epochPlan.Value.Plan.Skip(s % stepsPerEpoch * accumulation).Take(accumulation).ToList();
        }
    }

    private double Evaluate(IReadOnlyList<AnswerExample> eval, int step, Device device, int padId, ITrainingMonitor monitor)
    {
        var (loss, tokens) = SftEvaluator.Loss(model, eval, options.Batching.BatchSize, padId, device);
        monitor.OnEvaluation(new EvaluationLog(StageName, step, loss, tokens));
        return loss;
    }

    private TrainingLoopSettings Settings(int total) => new(StageName, total, options.Seed, options.LearningRate, options.WarmupRatio,
        options.LogEvery, options.CheckpointEvery, options.KeepCheckpoints, options.Precision, AdamW(), "sft", options.MaxUpdateRatio);

    private AdamWOptions AdamW() => new()
    {
        LearningRate = options.LearningRate, Beta1 = options.Beta1, Beta2 = options.Beta2, Eps = options.AdamEpsilon, WeightDecay = options.WeightDecay,
    };

    private static BadInputException EmptySplit(int given, int dropped) => new(given == 0
        ? $"{StageName}: the training split is empty; stage 1 trains on the System-1 examples — check the labels stage's split and the data filters."
        : $"{StageName}: all {given} training examples were dropped because their prompts alone fill max_length; raise max_length or shorten the prompts.");
}

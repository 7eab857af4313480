using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Core;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Modeling;
using LoraPar.Synthetic;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Grpo;
using LoraPar.Training.Grpo.Rewards;
using ManifestRewards = LoraPar.Pipeline.Manifest.Sections.RewardWeights;
using TrainerRewards = LoraPar.Training.Grpo.Rewards.RewardWeights;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>
/// The <c>rl</c> stage (stage 2 of LoRA-PAR): GRPO of the stage-2 region on System-2 prompts (D2) only, starting from the stage-1
/// adapter, with the KL reference = the stage-1 result. Prompts ask for <c>&lt;reasoning&gt;…&lt;/reasoning&gt;&lt;answer&gt;…&lt;/answer&gt;</c>.
/// </summary>
public sealed class RlStage : TrainingStageBase
{
    /// <inheritdoc />
    public override string Kind => StageKinds.Rl;

    /// <inheritdoc />
    public override int Version => 2;

    /// <inheritdoc />
    protected override TrainingStage MaskStage => TrainingStage.Stage2;

    /// <inheritdoc />
    protected override string Section => "rl";

    /// <summary>The trainer options of a manifest's <c>[rl]</c> section.</summary>
    public static GrpoOptions OptionsOf(RlSection rl, long seed) => new()
    {
        LearningRate = rl.LearningRate,
        WarmupRatio = rl.WarmupRatio,
        Beta1 = rl.Beta1,
        Beta2 = rl.Beta2,
        WeightDecay = rl.WeightDecay,
        MaxGradNorm = rl.MaxGradNorm,
        NumGenerations = rl.NumGenerations,
        PromptsPerBatch = rl.PromptsPerStep,
        MaxPromptLength = rl.MaxPromptLength,
        MaxCompletionLength = rl.MaxCompletionLength,
        Temperature = rl.Temperature,
        TopP = rl.TopP,
        NumIterations = rl.NumIterations,
        Loss = new PolicyLossOptions
        {
            Epsilon = rl.Epsilon,
            EpsilonHigh = rl.EpsilonHigh,
            Beta = rl.KlBeta,
            Aggregation = rl.LossType switch
            {
                GrpoLossType.Bnpo => LossAggregation.Bnpo,
                GrpoLossType.DrGrpo => LossAggregation.DrGrpo,
                GrpoLossType.Dapo => LossAggregation.Dapo,
                _ => LossAggregation.Grpo,
            },
        },
        ScaleRewards = rl.ScaleRewards switch
        {
            RewardScaling.Batch => ScaleRewards.Batch,
            RewardScaling.None => ScaleRewards.None,
            _ => ScaleRewards.Group,
        },
        Rewards = WeightsOf(rl.Rewards),
        Epochs = rl.Epochs,
        MaxSteps = rl.MaxSteps > 0 ? rl.MaxSteps : null,
        CheckpointEvery = rl.CheckpointEvery,
        Seed = seed,
    };

    /// <summary>
    /// The manifest gives each reward's value (the authors': 2.0, 0.5, 0.5, 0.5, 0.125 per tag); the reward functions already
    /// score those values, so the trainer's multipliers are the ratios to them.
    /// </summary>
    public static TrainerRewards WeightsOf(ManifestRewards w) => new()
    {
        Correctness = w.Correctness / 2.0,
        IntegerAnswer = w.Integer / 0.5,
        StrictFormat = w.StrictFormat / 0.5,
        SoftFormat = w.SoftFormat / 0.5,
        XmlTagCount = w.XmlCount / 0.125,
    };

    /// <inheritdoc />
    protected override ProgressMonitor Train(StageContext context, BaseModel base_, LoraAdapterSet adapters, LoraMaskSet mask,
        IReadOnlyList<DatasetRow> rows, TrainingRun run)
    {
        var options = OptionsOf(context.Manifest.Rl, context.Manifest.Seed);
        var prompts = rows.Select(r => new GrpoExample(r.Question, r.Gold
            ?? throw new BadInputException($"row {r.Id} has no gold answer: GRPO's correctness reward needs one (GSM8K-style data)"))).ToList();
        var data = new GrpoData(prompts, question => TaskPrompt.Prompt(question, PromptStyle.ReasoningTags));
        using var bar = context.Progress.Start("grpo (stage 2)", options.TotalSteps(prompts.Count));
        var monitor = new ProgressMonitor(bar, context.Log);
        var result = new GrpoTrainer(base_.Model, base_.Tokenizer, adapters, mask, options).Train(data, run, monitor, context.Cancellation);
        var sampled = result.History.Where(h => h.Sampled is not null).Select(h => h.Sampled!).ToList();
        context.Log($"grpo: {result.Steps} steps, {result.TrainableElements} trainable elements, {result.FrozenElementsChecked} frozen elements verified unchanged");
        var metrics = new Dictionary<string, double> { ["steps"] = result.Steps, ["trainable_elements"] = result.TrainableElements };
        if (sampled.Count > 0)
        {
            metrics["reward_first"] = sampled[0].Total.Mean;
            metrics["reward_last"] = sampled[^1].Total.Mean;
            metrics["accuracy_first"] = sampled[0].Accuracy ?? double.NaN;
            metrics["accuracy_last"] = sampled[^1].Accuracy ?? double.NaN;
        }
        WriteMetrics(context, metrics);
        return monitor;
    }
}

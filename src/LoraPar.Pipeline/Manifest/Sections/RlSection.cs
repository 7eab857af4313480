using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>How GRPO aggregates the per-token loss.</summary>
public enum GrpoLossType
{
    /// <summary>Mean over tokens per sequence, then over sequences.</summary>
    Grpo,

    /// <summary>Mean over all tokens of the local batch.</summary>
    Bnpo,

    /// <summary>Sum over tokens divided by a constant (Dr. GRPO).</summary>
    DrGrpo,

    /// <summary>Mean over all tokens of the global batch (DAPO).</summary>
    Dapo,
}

/// <summary>How rewards are normalised into advantages.</summary>
public enum RewardScaling
{
    /// <summary>(r − mean) / (std + ε) within each prompt's group.</summary>
    Group,

    /// <summary>Group mean, batch std.</summary>
    Batch,

    /// <summary>Centre only (r − group mean).</summary>
    None,
}

/// <summary>
/// <c>[rl]</c>: stage 2, GRPO on System-2 data. Authors: lr 5e-6, betas (0.9, 0.99), weight decay 0.1, warm-up 0.1, cosine,
/// 8 generations, prompt / completion 128 / 256, grad clip 0.1, 1 epoch. The KL reference is the stage-1 model.
/// </summary>
public sealed record RlSection
{
    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 5e-6;

    /// <summary>Adam β1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam β2.</summary>
    public double Beta2 { get; init; } = 0.99;

    /// <summary>AdamW weight decay (active elements only).</summary>
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>Warm-up fraction.</summary>
    public double WarmupRatio { get; init; } = 0.1;

    /// <summary>Schedule after warm-up.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

    /// <summary>G: completions per prompt.</summary>
    public int NumGenerations { get; init; } = 8;

    /// <summary>Prompts per optimizer step.</summary>
    public int PromptsPerStep { get; init; } = 1;

    /// <summary>Prompt tokens kept (left-truncated).</summary>
    public int MaxPromptLength { get; init; } = 128;

    /// <summary>Generated tokens per completion.</summary>
    public int MaxCompletionLength { get; init; } = 256;

    /// <summary>Gradient-norm clip.</summary>
    public double MaxGradNorm { get; init; } = 0.1;

    /// <summary>Epochs over D2.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Optimizer-step cap (0 = none).</summary>
    public int MaxSteps { get; init; }

    /// <summary>Sampling temperature.</summary>
    public double Temperature { get; init; } = 0.9;

    /// <summary>Nucleus sampling p.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>β_KL of the k3 penalty against the stage-1 reference.</summary>
    public double KlBeta { get; init; } = 0.04;

    /// <summary>Lower clip ε of the ratio.</summary>
    public double Epsilon { get; init; } = 0.2;

    /// <summary>Upper clip ε_high of the ratio.</summary>
    public double EpsilonHigh { get; init; } = 0.2;

    /// <summary>Updates per rollout batch (μ), re-using the old log-probs.</summary>
    public int NumIterations { get; init; } = 1;

    /// <summary>Loss aggregation.</summary>
    public GrpoLossType LossType { get; init; } = GrpoLossType.Grpo;

    /// <summary>Advantage normalisation.</summary>
    public RewardScaling ScaleRewards { get; init; } = RewardScaling.Group;

    /// <summary>Save a resumable checkpoint every N steps (0 = only at the end).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Reward weights.</summary>
    public RewardWeights Rewards { get; init; } = new();

    internal static RlSection Read(SectionReader r)
    {
        var d = new RlSection();
        var section = new RlSection
        {
            LearningRate = r.Double("learning_rate", d.LearningRate, NumberRange.Positive),
            Beta1 = r.Double("beta1", d.Beta1, NumberRange.UnitOpenAbove),
            Beta2 = r.Double("beta2", d.Beta2, NumberRange.UnitOpenAbove),
            WeightDecay = r.Double("weight_decay", d.WeightDecay, NumberRange.NonNegative),
            WarmupRatio = r.Double("warmup_ratio", d.WarmupRatio, NumberRange.UnitOpenAbove),
            Schedule = r.Enum("schedule", d.Schedule),
            NumGenerations = r.Int("num_generations", d.NumGenerations, NumberRange.AtLeast(2)),
            PromptsPerStep = r.Int("prompts_per_step", d.PromptsPerStep, NumberRange.AtLeast(1)),
            MaxPromptLength = r.Int("max_prompt_length", d.MaxPromptLength, NumberRange.AtLeast(1)),
            MaxCompletionLength = r.Int("max_completion_length", d.MaxCompletionLength, NumberRange.AtLeast(1)),
            MaxGradNorm = r.Double("max_grad_norm", d.MaxGradNorm, NumberRange.Positive),
            Epochs = r.Int("epochs", d.Epochs, NumberRange.AtLeast(1)),
            MaxSteps = r.Int("max_steps", d.MaxSteps, NumberRange.NonNegative),
            Temperature = r.Double("temperature", d.Temperature, NumberRange.Positive),
            TopP = r.Double("top_p", d.TopP, NumberRange.UnitOpenBelow),
            KlBeta = r.Double("kl_beta", d.KlBeta, NumberRange.NonNegative),
            Epsilon = r.Double("epsilon", d.Epsilon, NumberRange.UnitOpenAbove),
            EpsilonHigh = r.Double("epsilon_high", d.EpsilonHigh, NumberRange.NonNegative),
            NumIterations = r.Int("num_iterations", d.NumIterations, NumberRange.AtLeast(1)),
            LossType = r.Enum("loss_type", d.LossType),
            ScaleRewards = r.Enum("scale_rewards", d.ScaleRewards),
            CheckpointEvery = r.Int("checkpoint_every", d.CheckpointEvery, NumberRange.NonNegative),
            Rewards = RewardWeights.Read(r.Section("rewards")),
        };
        r.Finish();
        return section;
    }
}

using LoraPar.Core;
using LoraPar.Training.Grpo.Rewards;
using LoraPar.Training.Precision;

namespace LoraPar.Training.Grpo;

/// <summary>
/// Settings of a masked GRPO stage (immutable; parsed once from the manifest). Defaults are the LoRA-PAR authors' stage-2
/// settings: lr 5e-6, Adam betas (0.9, 0.99), weight decay 0.1, warm-up ratio 0.1, cosine schedule, 8 generations per
/// prompt, max prompt / completion length 128 / 256, gradient-norm clip 0.1, 1 epoch; the rest are TRL's defaults.
/// </summary>
public sealed record GrpoOptions
{
    public double LearningRate { get; init; } = 5e-6;
    public double WarmupRatio { get; init; } = 0.1;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.99;
    public double Epsilon { get; init; } = 1e-8;
    public double WeightDecay { get; init; } = 0.1;
    public double MaxGradNorm { get; init; } = 0.1;

    /// <summary>G: completions sampled per prompt.</summary>
    public int NumGenerations { get; init; } = 8;

    /// <summary>Prompts per rollout (each rollout holds PromptsPerStep × G completions).</summary>
    public int PromptsPerStep { get; init; } = 1;

    /// <summary>Completions per forward/backward pass of an update (0: the whole rollout at once).</summary>
    public int MicroBatchSize { get; init; }

    /// <summary>Prompts longer than this keep their last tokens (TRL truncates on the left).</summary>
    public int MaxPromptLength { get; init; } = 128;

    /// <summary>Completions stop after this many tokens.</summary>
    public int MaxCompletionLength { get; init; } = 256;

    /// <summary>Sampling temperature of the rollout (TRL: 1.0).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus sampling of the rollout (1: off).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Give completions that hit the length limit without EOS a zero loss mask (TRL's <c>mask_truncated_completions</c>).</summary>
    public bool MaskTruncatedCompletions { get; init; }

    /// <summary>μ: optimizer steps per rollout; from the second on, the ratio uses the rollout's old log-probs.</summary>
    public int NumIterations { get; init; } = 1;

    /// <summary>ε, ε_high, β (KL against the stage-start reference) and the loss aggregation.</summary>
    public PolicyLossOptions Loss { get; init; } = new();

    /// <summary>How group-centred rewards are scaled.</summary>
    public ScaleRewards ScaleRewards { get; init; } = ScaleRewards.Group;

    /// <summary>Reward functions and their weights.</summary>
    public RewardWeights Rewards { get; init; } = new();

    /// <summary>Passes over the prompts (ignored when <see cref="MaxSteps"/> is set).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Optimizer steps instead of whole epochs (a multiple of <see cref="NumIterations"/>).</summary>
    public int? MaxSteps { get; init; }

    public int LogEvery { get; init; } = 1;

    /// <summary>Checkpoint every N steps (0: only at the end); a multiple of <see cref="NumIterations"/> so a checkpoint never splits a rollout.</summary>
    public int CheckpointEvery { get; init; }

    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>Seed of the prompt order (with the epoch), of sampling (with the rollout) and of dropout (with the step).</summary>
    public long Seed { get; init; } = 42;

    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Auto;

    /// <summary>Every problem, each as "key: message" (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Require(bool ok, string message) { if (!ok) problems.Add(message); }
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"learning_rate = {LearningRate}: must be a positive number");
        Require(WarmupRatio >= 0 && WarmupRatio <= 1, $"warmup_ratio = {WarmupRatio}: must lie in [0, 1]");
        Require(Beta1 >= 0 && Beta1 < 1 && Beta2 >= 0 && Beta2 < 1, $"adam betas ({Beta1}, {Beta2}): each must lie in [0, 1)");
        Require(WeightDecay >= 0 && WeightDecay < 1, $"weight_decay = {WeightDecay}: must lie in [0, 1)");
        Require(MaxGradNorm >= 0, $"max_grad_norm = {MaxGradNorm}: must be 0 (off) or positive");
        Require(NumGenerations >= 2, $"num_generations = {NumGenerations}: GRPO compares at least 2 completions per prompt");
        Require(PromptsPerStep >= 1, $"prompts_per_step = {PromptsPerStep}: must be at least 1");
        Require(MicroBatchSize >= 0, $"micro_batch_size = {MicroBatchSize}: must be 0 (whole rollout) or positive");
        Require(MaxPromptLength >= 1 && MaxCompletionLength >= 1, $"max_prompt_length / max_completion_length ({MaxPromptLength} / {MaxCompletionLength}): must be positive");
        Require(Temperature > 0, $"temperature = {Temperature}: GRPO samples, so it must be positive");
        Require(TopP > 0 && TopP <= 1, $"top_p = {TopP}: must lie in (0, 1]");
        Require(NumIterations >= 1, $"num_iterations = {NumIterations}: must be at least 1");
        Require(Loss.Epsilon >= 0 && Loss.Epsilon < 1 && Loss.UpperEpsilon >= 0 && Loss.Beta >= 0,
            $"epsilon / epsilon_high / beta ({Loss.Epsilon} / {Loss.UpperEpsilon} / {Loss.Beta}): need 0 <= ε < 1, ε_high >= 0, β >= 0");
        Require(Epochs >= 1, $"epochs = {Epochs}: must be at least 1");
        Require(MaxSteps is null || MaxSteps >= 1 && MaxSteps % NumIterations == 0,
            $"max_steps = {MaxSteps}: must be a positive multiple of num_iterations = {NumIterations}");
        Require(LogEvery >= 1, $"log_every = {LogEvery}: must be at least 1");
        Require(CheckpointEvery >= 0 && CheckpointEvery % NumIterations == 0,
            $"checkpoint_every = {CheckpointEvery}: must be 0 or a multiple of num_iterations = {NumIterations}");
        Require(KeepCheckpoints >= 1, $"keep_checkpoints = {KeepCheckpoints}: must be at least 1");
        return problems;
    }

    /// <summary>Throws a <see cref="BadInputException"/> listing every problem (rewards included), if any.</summary>
    public GrpoOptions Validated()
    {
        Rewards.Validate();
        var problems = Problems();
        return problems.Count == 0 ? this : throw new BadInputException("invalid GRPO settings:\n  " + string.Join("\n  ", problems));
    }

    /// <summary>Rollouts per epoch over <paramref name="prompts"/> prompts (the last may hold fewer prompts).</summary>
    public int RolloutsPerEpoch(int prompts) => (prompts + PromptsPerStep - 1) / PromptsPerStep;

    /// <summary>Optimizer steps of the stage: max_steps, or epochs × rollouts × μ.</summary>
    public int TotalSteps(int prompts) => MaxSteps ?? Epochs * RolloutsPerEpoch(prompts) * NumIterations;
}

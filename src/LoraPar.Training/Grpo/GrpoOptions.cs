using LoraPar.Core;
using LoraPar.Core.Settings;
using LoraPar.Training.Grpo.Rewards;
using LoraPar.Training.Precision;

namespace LoraPar.Training.Grpo;

/// <summary>
/// Settings of a masked GRPO stage (immutable; parsed once from the manifest). Defaults are the LoRA-PAR authors' stage-2
/// settings: lr 5e-6, AdamW betas (0.9, 0.99), weight decay 0.1, warm-up ratio 0.1 then cosine decay, G = 8 completions
/// per prompt, prompts / completions of at most 128 / 256 tokens, gradient-norm clip 0.1, 1 epoch. Sampling uses
/// temperature 0.9 and top-p 1.0 (TRL's GRPOConfig defaults, which the authors' example keeps). The objective's defaults
/// are TRL's at the time of the authors' example: ε = 0.2 (ε_high = ε), β_KL = 0.04, μ = 1 update per rollout, rewards
/// scaled by the group's standard deviation, per-sequence loss averaging (<see cref="LossAggregation.Grpo"/>). Where the
/// authors' TRL (0.14/0.15) differs — log-probs at temperature 1, <c>top_k</c> 50, the base model as KL reference — the
/// switches are <see cref="DivideLogitsByTemperature"/>, <see cref="TopK"/> and <see cref="KlReference"/>.
/// One optimizer step uses <see cref="PromptsPerBatch"/> × <see cref="GradientAccumulationSteps"/> prompts, each with
/// <see cref="NumGenerations"/> completions; with μ = <see cref="NumIterations"/> &gt; 1 each rollout feeds μ steps.
/// </summary>
public sealed record GrpoOptions : ISettings
{
    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 5e-6;

    /// <summary>Fraction of the steps spent warming up linearly (cosine decay after).</summary>
    public double WarmupRatio { get; init; } = 0.1;

    /// <summary>AdamW β1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β2.</summary>
    public double Beta2 { get; init; } = 0.99;

    /// <summary>
    /// The most one optimizer step may grow a trained LoRA tensor's largest magnitude (measured against at least 0.01, so
    /// zero-initialised tensors may move): a larger growth — a learning rate that explodes — stops the stage naming the
    /// step and the tensor, before anything is checkpointed or committed.
    /// </summary>
    public double MaxUpdateRatio { get; init; } = 100;

    /// <summary>AdamW ε.</summary>
    public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary>AdamW decoupled weight decay (applied to active elements only).</summary>
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>Gradient-norm clip over the active elements (0 disables clipping).</summary>
    public double MaxGradNorm { get; init; } = 0.1;

    /// <summary>G: completions sampled per prompt (at least 2, so a group can be compared).</summary>
    public int NumGenerations { get; init; } = 8;

    /// <summary>Prompts per micro-batch (each brings its G completions; the per-device batch).</summary>
    public int PromptsPerBatch { get; init; } = 1;

    /// <summary>Micro-batches per optimizer step.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Prompt tokens kept; longer prompts lose their first tokens (left truncation, as TRL).</summary>
    public int MaxPromptLength { get; init; } = 128;

    /// <summary>Tokens generated per completion at most.</summary>
    public int MaxCompletionLength { get; init; } = 256;

    /// <summary>Leave completions cut at <see cref="MaxCompletionLength"/> (no EOS) out of the loss (TRL's <c>mask_truncated_completions</c>).</summary>
    public bool MaskTruncatedCompletions { get; init; }

    /// <summary>Sampling temperature (with <see cref="DivideLogitsByTemperature"/>, also of every teacher-forced log-prob).</summary>
    public double Temperature { get; init; } = 0.9;

    /// <summary>
    /// Whether the teacher-forced log-probs (policy, old and reference) divide the logits by <see cref="Temperature"/>, as TRL
    /// does since 0.16 (true), or score at temperature 1 while sampling at <see cref="Temperature"/>, as TRL 0.14 and 0.15 —
    /// the authors' — did (false).
    /// </summary>
    public bool DivideLogitsByTemperature { get; init; } = true;

    /// <summary>Nucleus sampling p (1 = no cut).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Top-k sampling cut (0 = none; transformers' generation default, which the authors' TRL sampled with, is 50).</summary>
    public int TopK { get; init; }

    /// <summary>μ: optimizer steps taken on each rollout, against the log-probs of the policy that sampled it.</summary>
    public int NumIterations { get; init; } = 1;

    /// <summary>ε, ε_high, β_KL and the loss aggregation (keys written directly in <c>[rl]</c>).</summary>
    [InlineSettings]
    public PolicyLossOptions Loss { get; init; } = new();

    /// <summary>The policy the KL penalty holds the model to: the stage's start (the SFT result) or the base model.</summary>
    public KlReference KlReference { get; init; } = KlReference.StageStart;

    /// <summary>How group-centred rewards become advantages.</summary>
    public ScaleRewards ScaleRewards { get; init; } = ScaleRewards.Group;

    /// <summary>Weights of the summed reward functions (<c>[rl.rewards]</c>; used when the caller passes no reward of its own).</summary>
    public RewardWeights Rewards { get; init; } = new();

    /// <summary>
    /// Rewards of one's own (<c>[[rl.own_rewards]]</c>: kind, weight, answer_regex, pattern, options or options_column), summed against each row's
    /// reference answer; set, they replace the paper's GSM8K set and its <c>[rl.rewards]</c> weights on any dataset; unset, the
    /// paper's set (or reference overlap on instruction and code data) applies.
    /// </summary>
    public IReadOnlyList<OwnReward>? OwnRewards { get; init; }

    /// <summary>Which reading of the reward functions (auto: the authors' on file data, lorapar's on the synthetic task).</summary>
    public RewardRules RewardRules { get; init; } = RewardRules.Auto;

    /// <summary>How a question becomes the prompt on file data (<c>[rl.prompt]</c>; the synthetic task keeps its own).</summary>
    public PromptFormat Prompt { get; init; } = new();

    /// <summary>Which training rows the pipeline's stage draws prompts from: the recipe's split (D2 under LoRA-PAR) or all.</summary>
    public GrpoPromptRows PromptRows { get; init; } = GrpoPromptRows.Recipe;

    /// <summary>Passes over the prompts (ignored when <see cref="MaxSteps"/> is set).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Optimizer steps to run instead of whole epochs (a multiple of μ); the prompt order continues across epochs.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Report progress every N steps (averaged over them).</summary>
    public int LogEvery { get; init; } = 1;

    /// <summary>Write a checkpoint every N steps (0: only at the end); a multiple of μ, so checkpoints fall between rollouts.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Checkpoints kept on disk (the newest is always kept).</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>Seed of the prompt order (with the epoch), the sampling (with the rollout) and dropout (with the step).</summary>
    [FromRun]
    public long Seed { get; init; } = 42;

    /// <summary>Base-model precision: float32 on the CPU; bf16 or fp16 (with dynamic loss scaling) on CUDA.</summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Auto;

    /// <summary>
    /// Recompute each decoder layer's activations in the backward pass instead of keeping them (<see cref="LoraPar.Model.Llama.LayerCheckpoint"/>):
    /// about one more forward of compute for activations of one layer input per layer; the gradients are the same, so it is not part of any key.
    /// </summary>
    public bool GradientCheckpointing { get; init; }

    /// <summary>The temperature teacher-forced log-probs divide the logits by: <see cref="Temperature"/>, or 1 (<see cref="DivideLogitsByTemperature"/>).</summary>
    public double LogProbTemperature => DivideLogitsByTemperature ? Temperature : 1.0;

    /// <summary>The reward rules for data that is (<paramref name="synthetic"/>) or is not the synthetic task: auto resolved.</summary>
    public RewardRules RulesFor(bool synthetic) => RewardRules != RewardRules.Auto ? RewardRules : synthetic ? RewardRules.Lorapar : RewardRules.Authors;

    /// <summary>Prompts consumed by one rollout: <see cref="PromptsPerBatch"/> × <see cref="GradientAccumulationSteps"/>.</summary>
    public int PromptsPerRollout => PromptsPerBatch * GradientAccumulationSteps;

    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>();
        p.Require(LearningRate > 0 && double.IsFinite(LearningRate), "learning_rate", $"{LearningRate}: must be a positive number");
        p.Require(SettingsValidation.Within(WarmupRatio, 0, 1), "warmup_ratio", $"{WarmupRatio}: must lie in [0, 1]");
        p.Require(Beta1 >= 0 && Beta1 < 1, "beta1", $"{Beta1}: must lie in [0, 1)");
        p.Require(Beta2 >= 0 && Beta2 < 1, "beta2", $"{Beta2}: must lie in [0, 1)");
        p.Require(AdamEpsilon > 0 && double.IsFinite(AdamEpsilon), "adam_epsilon", $"{AdamEpsilon}: must be positive");
        p.Require(WeightDecay >= 0 && WeightDecay < 1, "weight_decay", $"{WeightDecay}: must lie in [0, 1)");
        p.Require(MaxGradNorm >= 0 && double.IsFinite(MaxGradNorm), "max_grad_norm", $"{MaxGradNorm}: must be 0 (off) or positive");
        p.Require(MaxUpdateRatio > 1 && double.IsFinite(MaxUpdateRatio), "max_update_ratio", $"{MaxUpdateRatio}: must be a number above 1");
        p.Require(NumGenerations >= 2, "num_generations", $"{NumGenerations}: GRPO compares completions of one prompt, so at least 2");
        p.Require(PromptsPerBatch >= 1, "prompts_per_batch", $"{PromptsPerBatch}: must be at least 1");
        p.Require(GradientAccumulationSteps >= 1, "gradient_accumulation_steps", $"{GradientAccumulationSteps}: must be at least 1");
        p.Require(MaxPromptLength >= 1, "max_prompt_length", $"{MaxPromptLength}: must be at least 1");
        p.Require(MaxCompletionLength >= 1, "max_completion_length", $"{MaxCompletionLength}: must be at least 1");
        p.Require(Temperature > 0 && double.IsFinite(Temperature), "temperature", $"{Temperature}: GRPO samples, so it must be a positive number");
        p.Require(TopP > 0 && TopP <= 1, "top_p", $"{TopP}: must lie in (0, 1]");
        p.Require(TopK >= 0, "top_k", $"{TopK}: must be 0 (off) or positive");
        p.Require(NumIterations >= 1, "num_iterations", $"{NumIterations}: must be at least 1");
        p.AddRange(Loss.Problems());
        p.AddRange(SettingsValidation.Nested("rewards", Rewards));
        p.AddRange(SettingsValidation.Nested("prompt", Prompt));
        p.Require(Epochs >= 1, "epochs", $"{Epochs}: must be at least 1");
        p.Require(MaxSteps is null || MaxSteps >= 1 && MaxSteps % NumIterations == 0, "max_steps",
            $"{MaxSteps}: must be a positive multiple of num_iterations ({NumIterations}) when set");
        p.Require(LogEvery >= 1, "log_every", $"{LogEvery}: must be at least 1");
        p.Require(CheckpointEvery >= 0 && CheckpointEvery % NumIterations == 0, "checkpoint_every",
            $"{CheckpointEvery}: must be 0 (end only) or a multiple of num_iterations ({NumIterations})");
        p.Require(KeepCheckpoints >= 1, "keep_checkpoints", $"{KeepCheckpoints}: must be at least 1");
        return p;
    }

    /// <summary>This instance, or a <see cref="BadInputException"/> listing every problem.</summary>
    public GrpoOptions Validated() => this.Validated("rl");

    /// <summary>Rollouts per epoch over <paramref name="prompts"/> prompts: ⌈prompts / prompts per rollout⌉.</summary>
    public int RolloutsPerEpoch(int prompts) => (prompts + PromptsPerRollout - 1) / PromptsPerRollout;

    /// <summary>Optimizer steps of the stage over <paramref name="prompts"/> prompts: <see cref="MaxSteps"/>, or epochs × rollouts × μ.</summary>
    public int TotalSteps(int prompts) => MaxSteps ?? Epochs * RolloutsPerEpoch(prompts) * NumIterations;
}

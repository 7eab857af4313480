using LoraPar.Core;
using LoraPar.Core.Settings;
using LoraPar.Training.Data;
using LoraPar.Training.Precision;

namespace LoraPar.Training.Sft;

/// <summary>
/// Settings of a masked SFT stage (immutable; parsed once from the manifest). Defaults are the LoRA-PAR authors' stage-1
/// settings: lr 2e-4, cosine schedule with warm-up ratio 0.03, batch 1 × gradient accumulation 32, max length 512,
/// 1 epoch; the rest are Hugging Face Trainer defaults (AdamW betas 0.9/0.999, ε 1e-8, weight decay 0, clip norm 1).
/// </summary>
public sealed record SftOptions : ISettings
{
    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>Fraction of the steps spent warming up linearly.</summary>
    public double WarmupRatio { get; init; } = 0.03;

    /// <summary>Micro-batch size, maximum length, length grouping and packing (keys written directly in <c>[sft]</c>).</summary>
    [InlineSettings]
    public BatchingOptions Batching { get; init; } = new();

    /// <summary>Micro-batches per optimizer step.</summary>
    public int GradientAccumulationSteps { get; init; } = 32;

    /// <summary>Passes over the training split (ignored when <see cref="MaxSteps"/> is set).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Optimizer steps to run instead of whole epochs; the data order continues across epochs.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Gradient-norm clip over the active elements (0 disables clipping).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>AdamW decoupled weight decay (applied to active elements only).</summary>
    public double WeightDecay { get; init; }

    /// <summary>AdamW β1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β2.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>
    /// The most one optimizer step may grow a trained LoRA tensor's largest magnitude (measured against at least 0.01, so
    /// zero-initialised tensors may move): a larger growth — a learning rate that explodes — stops the stage naming the
    /// step and the tensor, before anything is checkpointed or committed.
    /// </summary>
    public double MaxUpdateRatio { get; init; } = 100;

    /// <summary>AdamW ε.</summary>
    public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary>Evaluate the held-out loss every N steps (0: only at the end).</summary>
    public int EvalEvery { get; init; }

    /// <summary>Report progress every N steps (averaged over them).</summary>
    public int LogEvery { get; init; } = 1;

    /// <summary>Write a checkpoint every N steps (0: only at the end).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Checkpoints kept on disk (older ones are deleted; the newest is always kept).</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>Seed of the data order (with the epoch) and of dropout (with the step).</summary>
    [FromRun]
    public long Seed { get; init; } = 42;

    /// <summary>Base-model precision (float32 on the CPU; bf16/fp16 on CUDA).</summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Auto;

    /// <summary>
    /// Recompute each decoder layer's activations in the backward pass instead of keeping them (<see cref="LoraPar.Model.Llama.LayerCheckpoint"/>):
    /// about one more forward of compute for activations of one layer input per layer; the gradients are the same, so it is not part of any key.
    /// </summary>
    public bool GradientCheckpointing { get; init; }

    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>(Batching.Problems());
        p.Require(LearningRate > 0 && double.IsFinite(LearningRate), "learning_rate", $"{LearningRate}: must be a positive number");
        p.Require(SettingsValidation.Within(WarmupRatio, 0, 1), "warmup_ratio", $"{WarmupRatio}: must lie in [0, 1]");
        p.Require(GradientAccumulationSteps >= 1, "gradient_accumulation_steps", $"{GradientAccumulationSteps}: must be at least 1");
        p.Require(Epochs >= 1, "epochs", $"{Epochs}: must be at least 1");
        p.Require(MaxSteps is null or >= 1, "max_steps", $"{MaxSteps}: must be at least 1 when set (leave it out for whole epochs)");
        p.Require(MaxGradNorm >= 0 && double.IsFinite(MaxGradNorm), "max_grad_norm", $"{MaxGradNorm}: must be 0 (off) or positive");
        p.Require(MaxUpdateRatio > 1 && double.IsFinite(MaxUpdateRatio), "max_update_ratio", $"{MaxUpdateRatio}: must be a number above 1");
        p.Require(WeightDecay >= 0 && WeightDecay < 1, "weight_decay", $"{WeightDecay}: must lie in [0, 1)");
        p.Require(Beta1 >= 0 && Beta1 < 1, "beta1", $"{Beta1}: must lie in [0, 1)");
        p.Require(Beta2 >= 0 && Beta2 < 1, "beta2", $"{Beta2}: must lie in [0, 1)");
        p.Require(AdamEpsilon > 0 && double.IsFinite(AdamEpsilon), "adam_epsilon", $"{AdamEpsilon}: must be positive");
        p.Require(EvalEvery >= 0, "eval_every", $"{EvalEvery}: must be 0 (end only) or positive");
        p.Require(LogEvery >= 1, "log_every", $"{LogEvery}: must be at least 1");
        p.Require(CheckpointEvery >= 0, "checkpoint_every", $"{CheckpointEvery}: must be 0 (end only) or positive");
        p.Require(KeepCheckpoints >= 1, "keep_checkpoints", $"{KeepCheckpoints}: must be at least 1");
        return p;
    }

    /// <summary>This instance, or a <see cref="BadInputException"/> listing every problem.</summary>
    public SftOptions Validated() => this.Validated("sft");

    /// <summary>Optimizer steps for <paramref name="batchesPerEpoch"/> micro-batches per epoch (the last step of an epoch may hold fewer).</summary>
    public int TotalSteps(int batchesPerEpoch) => MaxSteps ?? Epochs * StepsPerEpoch(batchesPerEpoch);

    /// <summary>⌈batches / accumulation⌉.</summary>
    public int StepsPerEpoch(int batchesPerEpoch) => (batchesPerEpoch + GradientAccumulationSteps - 1) / GradientAccumulationSteps;
}

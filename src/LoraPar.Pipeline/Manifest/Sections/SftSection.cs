using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary><c>[sft]</c>: stage 1, SFT on System-1 data (authors: lr 2e-4, cosine, warm-up 0.03, batch 1 × accum 32, 1 epoch, length 512).</summary>
public sealed record SftSection
{
    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>Schedule after warm-up.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

    /// <summary>Warm-up as a fraction of total steps.</summary>
    public double WarmupRatio { get; init; } = 0.03;

    /// <summary>Examples per micro-batch.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Micro-batches per optimizer step.</summary>
    public int GradAccum { get; init; } = 32;

    /// <summary>Epochs over D1.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Optimizer-step cap (0 = none).</summary>
    public int MaxSteps { get; init; }

    /// <summary>Maximum tokens per example.</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>AdamW weight decay (applied to active elements only).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradient-norm clip.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Save a resumable checkpoint every N optimizer steps (0 = only at the end).</summary>
    public int CheckpointEvery { get; init; }

    internal static SftSection Read(SectionReader r)
    {
        var d = new SftSection();
        var section = new SftSection
        {
            LearningRate = r.Double("learning_rate", d.LearningRate, NumberRange.Positive),
            Schedule = r.Enum("schedule", d.Schedule),
            WarmupRatio = r.Double("warmup_ratio", d.WarmupRatio, NumberRange.UnitOpenAbove),
            BatchSize = r.Int("batch_size", d.BatchSize, NumberRange.AtLeast(1)),
            GradAccum = r.Int("grad_accum", d.GradAccum, NumberRange.AtLeast(1)),
            Epochs = r.Int("epochs", d.Epochs, NumberRange.AtLeast(1)),
            MaxSteps = r.Int("max_steps", d.MaxSteps, NumberRange.NonNegative),
            MaxLength = r.Int("max_length", d.MaxLength, NumberRange.AtLeast(8)),
            WeightDecay = r.Double("weight_decay", d.WeightDecay, NumberRange.NonNegative),
            MaxGradNorm = r.Double("max_grad_norm", d.MaxGradNorm, NumberRange.Positive),
            CheckpointEvery = r.Int("checkpoint_every", d.CheckpointEvery, NumberRange.NonNegative),
        };
        r.Finish();
        return section;
    }
}

namespace LoraPar.Training.Precision;

/// <summary>
/// Dynamic loss scaling for fp16 (torch.cuda.amp.GradScaler's rule): the loss is multiplied by S before backward and the
/// gradients divided by S after it. A step whose gradients overflow is skipped and S halves; after
/// <see cref="GrowthInterval"/> clean steps in a row S doubles. Immutable: each update returns the next state.
/// </summary>
/// <param name="Scale">S.</param>
/// <param name="CleanSteps">Clean steps since S last changed.</param>
public sealed record DynamicLossScale(double Scale, int CleanSteps)
{
    /// <summary>Clean steps before the scale grows (GradScaler: 2000).</summary>
    public const int GrowthInterval = 2000;

    /// <summary>The scale below which overflow is no longer a transient: the gradients themselves are not finite.</summary>
    public const double MinimumScale = 1.0;

    /// <summary>GradScaler's initial scale, 2^16.</summary>
    public static DynamicLossScale Initial { get; } = new(65536.0, 0);

    /// <summary>No scaling (float32 and bf16).</summary>
    public static DynamicLossScale None { get; } = new(1.0, 0);

    /// <summary>The state after a step whose unscaled gradients were finite (<paramref name="finite"/>) or overflowed.</summary>
    public DynamicLossScale After(bool finite) =>
        !finite ? new DynamicLossScale(Scale / 2, 0)
        : CleanSteps + 1 >= GrowthInterval ? new DynamicLossScale(Scale * 2, 0)
        : this with { CleanSteps = CleanSteps + 1 };

    /// <summary>Whether the scale has fallen so low that an overflow means genuinely non-finite gradients.</summary>
    public bool Exhausted => Scale < MinimumScale;
}

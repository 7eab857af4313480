namespace LoraPar.Core;

/// <summary>
/// A cancellation observed between two steps of a loop that knows where it stands, so that the message the user reads
/// names the step: <see cref="Where"/> is e.g. <c>step 41 of 120</c> (the step that did not start).
/// </summary>
/// <param name="where">Where the loop stopped, e.g. <c>step 41 of 120</c>.</param>
/// <param name="token">The token that was cancelled.</param>
public sealed class StepCanceledException(string where, CancellationToken token)
    : OperationCanceledException($"cancelled before {where}", token)
{
    /// <summary>Where the loop stopped, e.g. <c>step 41 of 120</c>.</summary>
    public string Where { get; } = where;

    /// <summary>Throws when <paramref name="token"/> is cancelled, before 1-based step <paramref name="step"/> of <paramref name="total"/>.</summary>
    public static void ThrowIfCancelled(CancellationToken token, int step, int total)
    {
        if (token.IsCancellationRequested) throw new StepCanceledException($"step {step} of {total}", token);
    }
}

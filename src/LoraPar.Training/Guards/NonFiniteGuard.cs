using LoraPar.Core;

namespace LoraPar.Training.Guards;

/// <summary>
/// Stops a stage at the first NaN or infinite loss or gradient norm with a message that names the step and the last good
/// checkpoint (which stays on disk untouched: a failing step writes nothing).
/// </summary>
public static class NonFiniteGuard
{
    /// <summary>Throws when <paramref name="loss"/> is not finite.</summary>
    public static void CheckLoss(double loss, string stage, int step, int totalSteps, string? lastCheckpoint)
    {
        if (!double.IsFinite(loss)) throw Failure("loss", loss, stage, step, totalSteps, lastCheckpoint);
    }

    /// <summary>Throws when <paramref name="norm"/> is not finite.</summary>
    public static void CheckGradientNorm(double norm, string stage, int step, int totalSteps, string? lastCheckpoint)
    {
        if (!double.IsFinite(norm)) throw Failure("gradient norm", norm, stage, step, totalSteps, lastCheckpoint);
    }

    /// <summary>The failure for a non-finite <paramref name="what"/> at 1-based step <paramref name="step"/>.</summary>
    public static JobFailedException Failure(string what, double value, string stage, int step, int totalSteps, string? lastCheckpoint)
    {
        var kept = lastCheckpoint is null
            ? "No checkpoint had been written yet."
            : $"The last good checkpoint is kept at {lastCheckpoint}; the stage resumes from it when run again.";
        return new JobFailedException(
            $"{stage}: the {what} became {Describe(value)} at step {step} of {totalSteps}; the stage stopped without updating the weights. {kept} " +
            "Lower the learning rate or the gradient-norm clip, use float32, or check the data for empty or extreme examples.");
    }

    private static string Describe(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Infinity" : "-Infinity";
}

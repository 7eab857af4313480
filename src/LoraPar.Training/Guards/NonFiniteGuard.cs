using System.Globalization;
using LoraPar.Core;

namespace LoraPar.Training.Guards;

/// <summary>
/// Stops a stage at the first NaN or infinite loss, reward, gradient norm, parameter or next-token probability with one
/// line that names the stage, the step, the quantity, the last good checkpoint (which stays on disk untouched: a failing
/// step writes nothing) and what to change.
/// </summary>
public static class NonFiniteGuard
{
    private const string DefaultAdvice = "Lower the learning rate or the gradient-norm clip, use float32, or check the data for empty or extreme examples.";

    /// <summary>Throws when <paramref name="loss"/> is not finite.</summary>
    public static void CheckLoss(double loss, string stage, int step, int totalSteps, string? lastCheckpoint, string? advice = null) =>
        Check("loss", loss, stage, step, totalSteps, lastCheckpoint, advice);

    /// <summary>Throws when <paramref name="norm"/> is not finite.</summary>
    public static void CheckGradientNorm(double norm, string stage, int step, int totalSteps, string? lastCheckpoint, string? advice = null) =>
        Check("gradient norm", norm, stage, step, totalSteps, lastCheckpoint, advice);

    /// <summary>Throws when <paramref name="value"/> (the <paramref name="what"/>) is not finite.</summary>
    public static void Check(string what, double value, string stage, int step, int totalSteps, string? lastCheckpoint, string? advice = null)
    {
        if (!double.IsFinite(value)) throw Failure(what, value, stage, step, totalSteps, lastCheckpoint, advice);
    }

    /// <summary>The failure for a non-finite <paramref name="what"/> at 1-based step <paramref name="step"/>.</summary>
    public static JobFailedException Failure(string what, double value, string stage, int step, int totalSteps, string? lastCheckpoint,
        string? advice = null) =>
        Stop($"the {what} became {Describe(value)}", stage, step, totalSteps, lastCheckpoint, advice ?? DefaultAdvice);

    /// <summary>
    /// The one-line failure of a guard: <paramref name="what"/> happened in <paramref name="stage"/> at 1-based step
    /// <paramref name="step"/>; the stage commits nothing, the last good checkpoint is named, <paramref name="advice"/> says what to change.
    /// </summary>
    public static JobFailedException Stop(string what, string stage, int step, int totalSteps, string? lastCheckpoint, string advice)
    {
        var kept = lastCheckpoint is null
            ? "No checkpoint had been written yet."
            : $"The last good checkpoint is kept at {lastCheckpoint}; the stage resumes from it when run again.";
        return new JobFailedException($"{stage}: {what} at step {step} of {totalSteps}; the stage stopped and commits nothing. {kept} {advice}");
    }

    private static string Describe(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Infinity" : double.IsNegativeInfinity(value) ? "-Infinity"
            : value.ToString("G4", CultureInfo.InvariantCulture);
}

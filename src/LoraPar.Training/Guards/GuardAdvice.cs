using System.Globalization;

namespace LoraPar.Training.Guards;

/// <summary>
/// Where a training guard's stop points the user: the manifest section of the stage's settings and the values to change.
/// </summary>
/// <param name="Section">The manifest section of the stage's settings, e.g. <c>sft</c> or <c>rl</c>.</param>
/// <param name="LearningRate">The stage's peak learning rate.</param>
/// <param name="MaxUpdateRatio">The stage's <c>max_update_ratio</c>.</param>
public sealed record GuardAdvice(string Section, double LearningRate, double MaxUpdateRatio)
{
    /// <summary>What to change after a non-finite loss, reward, gradient norm, parameter or probability.</summary>
    public string ForNonFinite =>
        $"Lower [{Section}] learning_rate (now {Number(LearningRate)}) or max_grad_norm, use float32, or check the data for empty or extreme examples.";

    /// <summary>What to change after an update grew a parameter more than <see cref="MaxUpdateRatio"/> allows.</summary>
    public string ForGrowth =>
        $"Lower [{Section}] learning_rate (now {Number(LearningRate)}), or raise [{Section}] max_update_ratio (now {Number(MaxUpdateRatio)}) if such growth is intended.";

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}

namespace LoraPar.Pipeline.Progress;

/// <summary>One progress bar as the live display draws it at one instant.</summary>
/// <param name="Label">What runs: the stage's description, prefixed with the run's name in a sweep ("random · sft (stage 1)").</param>
/// <param name="Done">Units done, including those resumed from a checkpoint.</param>
/// <param name="Total">Units in all.</param>
/// <param name="Unit">The unit's plural name ("steps", "examples").</param>
/// <param name="Resumed">Units an earlier attempt did: they fill the bar but not the rate.</param>
/// <param name="Elapsed">Time since the bar started (until it finished, for a finished one).</param>
/// <param name="Status">The stage's latest status text ("loss 1.23 lr 2e-4 …"), empty when none.</param>
/// <param name="Finished">Whether the loop ended.</param>
public sealed record BarSnapshot(string Label, long Done, long Total, string Unit, long Resumed, TimeSpan Elapsed, string Status, bool Finished)
{
    /// <summary>Units per second of this attempt (resumed units excluded), or null before any.</summary>
    public double? Rate => Done - Resumed > 0 && Elapsed > TimeSpan.Zero ? (Done - Resumed) / Elapsed.TotalSeconds : null;

    /// <summary>The time still needed (<see cref="RemainingTime.Estimate"/>), or null while unknown.</summary>
    public TimeSpan? Eta => RemainingTime.Estimate(Done, Total, Elapsed, Resumed);
}

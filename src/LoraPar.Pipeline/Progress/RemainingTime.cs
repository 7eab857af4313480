namespace LoraPar.Pipeline.Progress;

/// <summary>
/// The time a loop still needs, from the rate of this attempt alone: units resumed from an earlier attempt's checkpoint
/// took none of this attempt's time, so they count as done but not towards the rate.
/// </summary>
public static class RemainingTime
{
    /// <summary>
    /// Elapsed × (total − done) / (done − resumed), or null while this attempt has done nothing yet (or is done).
    /// </summary>
    public static TimeSpan? Estimate(double done, double total, TimeSpan elapsed, double resumed = 0)
    {
        var doneHere = done - resumed;
        if (doneHere <= 0 || total <= 0 || done >= total) return null;
        return TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - done) / doneHere);
    }
}

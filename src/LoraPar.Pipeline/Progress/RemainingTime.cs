using Spectre.Console;
using Spectre.Console.Rendering;

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

/// <summary>
/// Spectre's remaining-time column, but from <see cref="RemainingTime.Estimate"/>: a task's <see cref="ProgressTask.Tag"/>
/// holds the units it resumed (a long), which Spectre's own column would count as done in no time for 30 s.
/// </summary>
internal sealed class AttemptRemainingTimeColumn : ProgressColumn
{
    /// <inheritdoc />
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        if (task.IsFinished) return new Text("00:00:00", new Style(Color.Blue));
        var remaining = task.ElapsedTime is { } elapsed ? RemainingTime.Estimate(task.Value, task.MaxValue, elapsed, task.Tag is long r ? r : 0) : null;
        return remaining is { } left && left < TimeSpan.FromDays(1)
            ? new Text(left.ToString(@"hh\:mm\:ss"), new Style(Color.Blue))
            : new Text("--:--:--", new Style(Color.Blue));
    }
}

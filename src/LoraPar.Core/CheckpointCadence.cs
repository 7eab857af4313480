using System.Diagnostics;

namespace LoraPar.Core;

/// <summary>
/// How often a long stage saves its state (pretraining, importance scoring, SFT, GRPO): every <see cref="Interval"/> of
/// wall time — zero saves after every step — and, where a stage offers it, also every <see cref="EverySteps"/> steps. A
/// resumed stage computes exactly what an uninterrupted one does, so the cadence is never part of a stage key.
/// </summary>
/// <param name="Interval">Wall time between checkpoints; <see cref="TimeSpan.Zero"/>: after every step.</param>
/// <param name="EverySteps">Steps between checkpoints besides the time-based ones (0: none).</param>
public sealed record CheckpointCadence(TimeSpan Interval, int EverySteps = 0)
{
    /// <summary>Minutes between checkpoints when a manifest does not say (<c>checkpoint_minutes</c>).</summary>
    public const double DefaultMinutes = 5;

    /// <summary>The cadence of <paramref name="minutes"/> minutes and, optionally, <paramref name="everySteps"/> steps.</summary>
    public static CheckpointCadence Minutes(double minutes, int everySteps = 0) => new(TimeSpan.FromMinutes(minutes), everySteps);

    /// <summary>Starts the wall clock of a stage's run.</summary>
    public CheckpointClock Start() => new(this);
}

/// <summary>The running clock of a <see cref="CheckpointCadence"/>: says when the next checkpoint is due and restarts after each.</summary>
public sealed class CheckpointClock
{
    private readonly CheckpointCadence cadence;
    private readonly Stopwatch since = Stopwatch.StartNew();

    internal CheckpointClock(CheckpointCadence cadence) => this.cadence = cadence;

    /// <summary>
    /// Whether a checkpoint is due after <paramref name="done"/> steps: the interval has passed since the last one (or the
    /// stage's start) or <paramref name="done"/> is on the step cadence. The caller writes it and calls <see cref="Restart"/>.
    /// </summary>
    public bool Due(int done) =>
        since.Elapsed >= cadence.Interval || cadence.EverySteps > 0 && done % cadence.EverySteps == 0;

    /// <summary>Counts the interval afresh from now (after a checkpoint was written).</summary>
    public void Restart() => since.Restart();
}

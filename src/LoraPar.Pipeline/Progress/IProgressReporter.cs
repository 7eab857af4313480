namespace LoraPar.Pipeline.Progress;

/// <summary>
/// How a stage shows a long loop (scoring, training steps, generation, evaluation): it starts a task with a total and advances
/// it; the reporter draws bars with ETA on a terminal, plain lines in logs, or nothing in tests.
/// </summary>
public interface IProgressReporter
{
    /// <summary>Starts a task of <paramref name="total"/> units (e.g. 1,000 steps); dispose it when the loop ends.</summary>
    IProgressTask Start(string description, long total, string unit = "steps");
}

/// <summary>One running loop.</summary>
public interface IProgressTask : IDisposable
{
    /// <summary>Marks <paramref name="units"/> more as done.</summary>
    void Advance(long units = 1);

    /// <summary>
    /// Marks <paramref name="units"/> as done by an earlier attempt (a resumed checkpoint): they fill the bar but not the
    /// rate, so the ETA counts only the units still to do. Reporters without an ETA count them as <see cref="Advance"/>.
    /// </summary>
    void Resume(long units) => Advance(units);

    /// <summary>Shows a short status beside the bar, e.g. "loss 1.23".</summary>
    void Status(string text);
}

/// <summary>Shows nothing (tests, quiet runs).</summary>
public sealed class NullProgressReporter : IProgressReporter
{
    /// <summary>The one instance.</summary>
    public static NullProgressReporter Instance { get; } = new();

    /// <inheritdoc />
    public IProgressTask Start(string description, long total, string unit = "steps") => new NullTask();

    private sealed class NullTask : IProgressTask
    {
        public void Advance(long units = 1) { }

        public void Status(string text) { }

        public void Dispose() { }
    }
}

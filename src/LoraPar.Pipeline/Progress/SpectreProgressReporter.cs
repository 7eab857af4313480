using Spectre.Console;

namespace LoraPar.Pipeline.Progress;

/// <summary>
/// Live Spectre.Console bars with percentage, rate and ETA. Wrap the whole run in <see cref="Run"/>; stages then call
/// <see cref="Start"/> from inside it.
/// </summary>
public sealed class SpectreProgressReporter : IProgressReporter
{
    private readonly IAnsiConsole _console;
    private ProgressContext? _context;

    /// <summary>A reporter drawing on <paramref name="console"/>.</summary>
    public SpectreProgressReporter(IAnsiConsole console) => _console = console;

    /// <summary>Runs <paramref name="body"/> while the bars are live.</summary>
    public T Run<T>(Func<T> body)
    {
        T result = default!;
        _console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new AttemptRemainingTimeColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                _context = context;
                try { result = body(); }
                finally { _context = null; }
            });
        return result;
    }

    /// <inheritdoc />
    public IProgressTask Start(string description, long total, string unit = "steps")
    {
        if (_context is null) return NullProgressReporter.Instance.Start(description, total, unit);
        var task = _context.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1));
        return new SpectreTask(task, description);
    }

    private sealed class SpectreTask(ProgressTask task, string description) : IProgressTask
    {
        public void Advance(long units = 1) => task.Increment(units);

        public void Resume(long units)
        {
            task.Tag = (task.Tag is long r ? r : 0) + units;
            task.Increment(units);
        }

        public void Status(string text) => task.Description = Markup.Escape($"{description} — {text}");

        public void Dispose()
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}

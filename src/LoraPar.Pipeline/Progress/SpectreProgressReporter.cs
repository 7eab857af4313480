using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace LoraPar.Pipeline.Progress;

/// <summary>
/// Live bars on a terminal, laid out by <see cref="ProgressBoard"/> to the console's width: per running stage its bar, counts,
/// rate, ETA and status (trimmed, never collapsed), the finished ones folded into one line. Wrap the whole run in
/// <see cref="Run"/>; stages then call <see cref="Start"/> from inside it. Spectre's progress loop redraws the board ten times
/// a second, so the ETA and elapsed time move between steps too.
/// </summary>
public sealed class SpectreProgressReporter : IProgressReporter
{
    private readonly IAnsiConsole _console;
    private readonly List<BarTask> _bars = [];
    private readonly Lock _lock = new();
    private bool _live;

    /// <summary>A reporter drawing on <paramref name="console"/>.</summary>
    public SpectreProgressReporter(IAnsiConsole console) => _console = console;

    /// <summary>Runs <paramref name="body"/> while the bars are live.</summary>
    public T Run<T>(Func<T> body)
    {
        T result = default!;
        _console.Progress()
            .AutoClear(false)
            .HideCompleted(true)
            .UseRenderHook((_, _) => new Board(this))
            .Start(_ =>
            {
                _live = true;
                try { result = body(); }
                finally { _live = false; }
            });
        return result;
    }

    /// <inheritdoc />
    public IProgressTask Start(string description, long total, string unit = "steps")
    {
        if (!_live) return NullProgressReporter.Instance.Start(description, total, unit);
        var bar = new BarTask(this, description, Math.Max(total, 1), unit);
        lock (_lock) _bars.Add(bar);
        return bar;
    }

    /// <summary>Every bar as it stands now, in start order.</summary>
    public IReadOnlyList<BarSnapshot> Snapshot()
    {
        lock (_lock) return _bars.Select(b => b.Snapshot()).ToList();
    }

    /// <summary>The board at the width the live display offers, one plain line each (styled by kind).</summary>
    private sealed class Board(SpectreProgressReporter owner) : IRenderable
    {
        public Measurement Measure(RenderOptions options, int maxWidth) => new(maxWidth, maxWidth);

        public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
        {
            foreach (var line in ProgressBoard.Lines(owner.Snapshot(), maxWidth))
            {
                var style = line.StartsWith(ProgressBoard.DoneMark, StringComparison.Ordinal) ? new Style(Color.Green)
                    : line.StartsWith("  ", StringComparison.Ordinal) ? Style.Plain : new Style(decoration: Decoration.Bold);
                yield return new Segment(line, style);
                yield return Segment.LineBreak;
            }
        }
    }

    private sealed class BarTask(SpectreProgressReporter owner, string label, long total, string unit) : IProgressTask
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _done, _resumed;
        private string _status = "";

        public void Advance(long units = 1)
        {
            lock (owner._lock) _done = Math.Min(total, _done + units);
        }

        public void Resume(long units)
        {
            lock (owner._lock)
            {
                _resumed += units;
                _done = Math.Min(total, _done + units);
            }
        }

        public void Status(string text)
        {
            lock (owner._lock) _status = text.ReplaceLineEndings(" ");
        }

        public void Dispose()
        {
            lock (owner._lock)
            {
                _clock.Stop();
                _done = total;
            }
        }

        /// <summary>Called under the owner's lock.</summary>
        public BarSnapshot Snapshot() => new(label, _done, total, unit, _resumed, _clock.Elapsed, _status, Finished: !_clock.IsRunning);
    }
}

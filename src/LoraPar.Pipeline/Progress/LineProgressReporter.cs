using System.Diagnostics;
using Humanizer;

namespace LoraPar.Pipeline.Progress;

/// <summary>
/// Progress as plain lines with rate and ETA (non-interactive consoles, CI, run logs): a line at most every
/// <c>interval</c> and one at the end.
/// </summary>
public sealed class LineProgressReporter(Action<string> write, TimeSpan? interval = null) : IProgressReporter
{
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromSeconds(10);
    private readonly Action<string> _write = write;

    /// <inheritdoc />
    public IProgressTask Start(string description, long total, string unit = "steps") => new LineTask(this, description, total, unit);

    /// <summary>
    /// "3 min 20 s" style remaining time for <paramref name="done"/> of <paramref name="total"/> after <paramref name="elapsed"/>,
    /// of which <paramref name="resumed"/> were done by an earlier attempt and took none of that time.
    /// </summary>
    public static string Eta(long done, long total, TimeSpan elapsed, long resumed = 0) =>
        RemainingTime.Estimate(done, total, elapsed, resumed)?.Humanize(precision: 2, minUnit: TimeUnit.Second) ?? "—";

    private sealed class LineTask(LineProgressReporter owner, string description, long total, string unit) : IProgressTask
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastLine = TimeSpan.Zero;
        private long _done;
        private long _resumed;
        private string _status = "";

        public void Advance(long units = 1)
        {
            _done += units;
            if (_clock.Elapsed - _lastLine < owner._interval) return;
            _lastLine = _clock.Elapsed;
            owner._write(Line());
        }

        public void Resume(long units)
        {
            _resumed += units;
            _done += units;
        }

        public void Status(string text) => _status = text;

        public void Dispose()
        {
            _clock.Stop();
            owner._write($"{description}: {_done:N0}/{total:N0} {unit} done in {_clock.Elapsed.Humanize(precision: 2)}{Suffix()}");
        }

        private string Line()
        {
            var rate = (_done - _resumed) / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
            return $"{description}: {_done:N0}/{total:N0} {unit} ({rate:0.##} {unit}/s, ETA {Eta(_done, total, _clock.Elapsed, _resumed)}){Suffix()}";
        }

        private string Suffix() => _status.Length == 0 ? "" : $" — {_status}";
    }
}

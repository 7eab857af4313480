using System.Globalization;

namespace LoraPar.Pipeline.Stages;

/// <summary>
/// The log file of one run (<c>artifacts/runs/&lt;manifest&gt;/logs/&lt;time&gt;-&lt;pid&gt;.log</c>): every stage line, every stage's
/// own log lines and any failure with its stack trace, each time-stamped. Thread-safe.
/// </summary>
public sealed class RunLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();

    /// <summary>Opens a new log for <paramref name="manifest"/> under <paramref name="runsDirectory"/>.</summary>
    public RunLog(string runsDirectory, string manifest)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        Path = System.IO.Path.Combine(runsDirectory, manifest, "logs", $"{stamp}-{Environment.ProcessId}.log");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Appends a time-stamped line.</summary>
    public void Write(string line)
    {
        lock (_gate) _writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate) _writer.Dispose();
    }
}

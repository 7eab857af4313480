using System.Diagnostics;
using LoraPar.Model.Runtime;

namespace LoraPar.Pipeline.Stages;

/// <summary>
/// One stage computed by its own lorapar process — <c>lorapar run --executor local --stage kind --key key --job manifest</c>,
/// what one Slurm job runs — with its standard output and error, line by line, in a log file. The child is in this process's
/// process group, so a Ctrl-C at the terminal reaches it directly and it stops at its next step as a run in the foreground
/// would; nothing here signals it.
/// </summary>
public sealed class StageJob : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Stopwatch clock = Stopwatch.StartNew();

    private StageJob(PlannedStage node, Process process, StreamWriter log, string logPath)
    {
        (Node, this.process, this.log, LogPath) = (node, process, log, logPath);
        Exited = process.WaitForExitAsync().ContinueWith(_ => Finish(), TaskScheduler.Default);
    }

    /// <summary>The stage it computes.</summary>
    public PlannedStage Node { get; }

    /// <summary>The file that holds the child's output.</summary>
    public string LogPath { get; }

    /// <summary>Completes with the child's exit code once it has ended and its output is in the log.</summary>
    public Task<int> Exited { get; }

    /// <summary>Wall time since the start.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>
    /// Starts <paramref name="command"/> (the lorapar command, one argument per entry) on <paramref name="node"/> of
    /// <paramref name="manifestFile"/> in <paramref name="workingDirectory"/>, its output going to <paramref name="logPath"/>;
    /// <paramref name="alone"/> (no other compute stage can run beside it) gives it <see cref="SpinWaits"/>.
    /// </summary>
    public static StageJob Start(PlannedStage node, bool force, bool alone, IReadOnlyList<string> command, string manifestFile, string workingDirectory, string logPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var info = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var word in Arguments(node, force, command, manifestFile)) info.ArgumentList.Add(word);
        if (alone)
            foreach (var (name, value) in SpinWaits.ForChild(Environment.GetEnvironmentVariable)) info.Environment[name] = value;
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, line) => Write(log, line.Data);
        process.ErrorDataReceived += (_, line) => Write(log, line.Data);
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            log.Dispose();
            throw;
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new StageJob(node, process, log, logPath);
    }

    /// <summary>The child's command line after the lorapar command itself.</summary>
    public static IReadOnlyList<string> Arguments(PlannedStage node, bool force, IReadOnlyList<string> command, string manifestFile)
    {
        var words = new List<string>(command.Skip(1)) { "run", "--executor", "local", "--stage", node.Kind, "--key", node.Key, "--job" };
        if (force) words.AddRange(["--force", node.Kind]);
        words.Add(manifestFile);
        return words;
    }

    /// <summary>The last <paramref name="count"/> lines of the log (what the child said before it failed).</summary>
    public IReadOnlyList<string> Tail(int count)
    {
        var lines = File.ReadAllLines(LogPath);
        return lines.Skip(Math.Max(0, lines.Length - count)).ToList();
    }

    public void Dispose()
    {
        process.Dispose();
        lock (log) log.Dispose();
    }

    private int Finish()
    {
        process.WaitForExit();   // after the exit, this returns once both redirected streams are read to their end
        lock (log) log.Flush();
        return process.ExitCode;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }
}

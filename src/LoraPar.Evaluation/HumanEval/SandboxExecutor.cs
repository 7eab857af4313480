using System.Diagnostics;
using System.Security.Cryptography;
using LoraPar.Core;
using LoraPar.Evaluation.Runs;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>
/// Runs untrusted Python programs, one sandbox each, several in parallel: under <see cref="SandboxIsolation.Bubblewrap"/>
/// (see <see cref="BubblewrapCommand"/>) unless <see cref="SandboxIsolation.None"/> is chosen explicitly, with the runner's
/// resource limits, a wall-clock timeout that kills everything the program started, and bounded captured output. A program
/// passes only when it ran to its end, which the runner shows with a per-run secret (see <see cref="SandboxRunnerScript"/>).
/// </summary>
public sealed class SandboxExecutor
{
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(2);
    private readonly SandboxLauncher _launcher;

    /// <summary>
    /// Resolves the sandbox's tools and runs one trivial program through it. Throws <see cref="BadInputException"/>, naming
    /// what is missing and how to install or enable it, when that fails: the sandbox never weakens by itself.
    /// </summary>
    public SandboxExecutor(SandboxOptions options)
    {
        Options = options;
        WorkRoot = Path.GetFullPath(options.WorkRoot ?? Path.GetTempPath());
        _launcher = SandboxLauncher.Resolve(options);
        var probe = Execute("pass\n");
        if (!probe.Passed) throw new BadInputException(SandboxRefusal.Explain(options, probe));
    }

    /// <summary>The limits and isolation in force.</summary>
    public SandboxOptions Options { get; }

    /// <summary>The isolation programs run under.</summary>
    public SandboxIsolation Isolation => _launcher.Isolation;

    /// <summary>The folder under which <see cref="SandboxIsolation.None"/> makes each program's folder (bubblewrap uses none on the host).</summary>
    public string WorkRoot { get; }

    /// <summary>Runs <paramref name="programs"/> on <see cref="SandboxOptions.EffectiveWorkers"/> threads; results are in program order.</summary>
    public IReadOnlyList<ExecutionResult> ExecuteAll(
        IReadOnlyList<string> programs, IProgress<EvalProgress>? progress = null, CancellationToken cancel = default)
    {
        var results = new ExecutionResult[programs.Count];
        var next = -1;
        var done = 0;
        var errors = new List<Exception>();
        // Each worker is a dedicated thread that lives until its last program ended: bubblewrap's --die-with-parent follows
        // the thread that started it.
        var threads = Enumerable.Range(0, Math.Min(Options.EffectiveWorkers, Math.Max(1, programs.Count))).Select(_ => new Thread(() =>
        {
            int index;
            while (!cancel.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < programs.Count)
            {
                try
                {
                    results[index] = Execute(programs[index]);
                    progress?.Report(new EvalProgress(Interlocked.Increment(ref done), programs.Count, 0));
                }
                catch (Exception e)
                {
                    lock (errors) errors.Add(e);
                    return;
                }
            }
        }) { IsBackground = true, Name = "sandbox worker" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (errors.Count > 0) throw new AggregateException("sandbox workers failed", errors);
        cancel.ThrowIfCancellationRequested();
        return results;
    }

    /// <summary>
    /// Runs one program. Under bubblewrap, when this returns none of its processes remains and nothing of it is on the host;
    /// without isolation its folder is removed, but a process it detached from its tree may outlive it.
    /// </summary>
    public ExecutionResult Execute(string program)
    {
        var clock = Stopwatch.StartNew();
        var hostFolder = Isolation == SandboxIsolation.None ? Path.Combine(WorkRoot, "lorapar-sandbox-" + Guid.NewGuid().ToString("N")) : null;
        if (hostFolder is not null) Directory.CreateDirectory(hostFolder);
        try
        {
            return Run(hostFolder, RandomNumberGenerator.GetHexString(32, lowercase: true), program, clock);
        }
        finally
        {
            if (hostFolder is not null) RemoveFolder(hostFolder);
        }
    }

    private ExecutionResult Run(string? hostFolder, string secret, string program, Stopwatch clock)
    {
        var marker = SandboxRunnerScript.Marker(secret);
        using var process = Process.Start(_launcher.StartInfo(hostFolder))!;
        var stdout = new BoundedCapture(process.StandardOutput.BaseStream, Options.MaxOutputBytes, marker.Length);
        var stderr = new BoundedCapture(process.StandardError.BaseStream, Options.MaxOutputBytes);
        var input = Feed(process.StandardInput.BaseStream, SandboxRunnerScript.Input(secret, program));
        var finished = process.WaitForExit(Options.Timeout);
        if (!finished) KillAll(process);
        process.WaitForExit();
        // Under bubblewrap every writer is gone once bubblewrap exited; without isolation an orphan may hold the pipes.
        var ended = stdout.WaitForEnd(DrainWait) & stderr.WaitForEnd(DrainWait);
        input.Wait(DrainWait);
        var exitCode = finished ? process.ExitCode : -1;
        var passed = finished && exitCode == 0 && ended && stdout.EndsWith(marker);
        var (output, errors) = (stdout.Text(passed ? marker : default), stderr.Text());
        var outcome = passed ? ExecutionOutcome.Passed : finished ? ExecutionOutcome.Failed : ExecutionOutcome.TimedOut;
        var detail = outcome switch
        {
            ExecutionOutcome.Passed => "passed",
            ExecutionOutcome.TimedOut => $"timed out after {Options.Timeout.TotalSeconds:0.###} s",
            _ => FailureDetail(exitCode, errors),
        };
        return new ExecutionResult(outcome, exitCode, detail, output, errors, clock.Elapsed);
    }

    /// <summary>Writes the runner's input and closes it, off the calling thread (a runner that never reads must not block it).</summary>
    private static Task Feed(Stream stdin, byte[] input) => Task.Run(() =>
    {
        try
        {
            stdin.Write(input);
            stdin.Close();
        }
        catch (IOException)
        {
            // The runner ended (or was killed) before it read everything: its verdict says so.
        }
    });

    /// <summary>
    /// Under bubblewrap: SIGKILL to the namespace's PID 1 (the interpreter), which makes the kernel kill every process of the
    /// namespace; bubblewrap then reaps it and exits. Without isolation, or if bubblewrap does not exit: the process tree.
    /// </summary>
    private void KillAll(Process process)
    {
        if (Isolation == SandboxIsolation.Bubblewrap)
        {
            foreach (var child in HostProcesses.Children(process.Id)) HostProcesses.Kill(child);
            if (process.WaitForExit(DrainWait)) return;
        }
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
    }

    private static string FailureDetail(int exitCode, string stderr)
    {
        var signal = exitCode > 128 ? exitCode - 128 : 0;
        var lastLine = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        var reason = signal switch
        {
            9 => "killed (SIGKILL: the CPU-time limit, or the kernel's out-of-memory killer)",
            25 => "file size limit exceeded (SIGXFSZ)",
            > 0 => $"killed by signal {signal}",
            _ => lastLine ?? $"exited with code {exitCode} before the end of the program",
        };
        return reason.Length <= 300 ? reason : reason[..300] + "…";
    }

    private static void RemoveFolder(string dir)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && attempt < 3)
            {
                Thread.Sleep(50);
            }
        }
    }
}

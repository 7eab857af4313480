using System.Diagnostics;
using LoraPar.Evaluation.Runs;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>
/// Runs untrusted Python programs one process each: in a fresh temporary folder (removed afterwards), under the runner's
/// resource limits and audit hook, in private network and PID namespaces where the machine allows, with a wall-clock
/// timeout that kills everything the program started, and with bounded captured output. Several run in parallel.
/// </summary>
public sealed class SandboxExecutor
{
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(2);
    private readonly string _setsid;
    private readonly string _unshare;

    /// <summary>Probes the machine once (see <see cref="SandboxEnvironment.Detect"/>) and keeps <paramref name="options"/>.</summary>
    public SandboxExecutor(SandboxOptions options)
    {
        Options = options;
        Isolation = SandboxEnvironment.Detect(options);
        WorkRoot = Path.GetFullPath(options.WorkRoot ?? Path.GetTempPath());
        _setsid = SandboxEnvironment.FindOnPath("setsid") ?? "setsid";
        _unshare = SandboxEnvironment.FindOnPath("unshare") ?? "unshare";
    }

    /// <summary>The limits in force.</summary>
    public SandboxOptions Options { get; }

    /// <summary>The isolation in use on this machine.</summary>
    public SandboxIsolation Isolation { get; }

    /// <summary>The folder under which each program gets its own temporary folder.</summary>
    public string WorkRoot { get; }

    /// <summary>Runs <paramref name="programs"/> on <see cref="SandboxOptions.EffectiveWorkers"/> threads; results are in program order.</summary>
    public IReadOnlyList<ExecutionResult> ExecuteAll(
        IReadOnlyList<string> programs, IProgress<EvalProgress>? progress = null, CancellationToken cancel = default)
    {
        var results = new ExecutionResult[programs.Count];
        var next = -1;
        var done = 0;
        var errors = new List<Exception>();
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

    /// <summary>Runs one program and cleans up after it: its folder is gone and none of its processes remains when this returns.</summary>
    public ExecutionResult Execute(string program)
    {
        var clock = Stopwatch.StartNew();
        var dir = Path.Combine(WorkRoot, "lorapar-sandbox-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var nonce = Guid.NewGuid().ToString("N");
            File.WriteAllText(Path.Combine(dir, SandboxRunnerScript.ProgramFile), program);
            File.WriteAllText(Path.Combine(dir, SandboxRunnerScript.RunnerFile), SandboxRunnerScript.Render(Options, nonce));
            return Run(dir, nonce, clock);
        }
        finally
        {
            RemoveFolder(dir);
        }
    }

    private ExecutionResult Run(string dir, string nonce, Stopwatch clock)
    {
        using var process = Process.Start(StartInfo(dir))!;
        var stdout = new BoundedCapture(process.StandardOutput.BaseStream, Options.MaxOutputBytes);
        var stderr = new BoundedCapture(process.StandardError.BaseStream, Options.MaxOutputBytes);
        process.StandardInput.Close();
        var finished = process.WaitForExit(Options.Timeout);
        KillAll(process);
        process.WaitForExit();
        var (output, errors) = (stdout.Text(DrainWait), stderr.Text(DrainWait));
        var exitCode = finished ? process.ExitCode : -1;
        var statusFile = Path.Combine(dir, SandboxRunnerScript.StatusFile);
        var completed = finished && exitCode == 0 && File.Exists(statusFile) && File.ReadAllText(statusFile) == nonce;
        var outcome = completed ? ExecutionOutcome.Passed : finished ? ExecutionOutcome.Failed : ExecutionOutcome.TimedOut;
        var detail = outcome switch
        {
            ExecutionOutcome.Passed => "passed",
            ExecutionOutcome.TimedOut => $"timed out after {Options.Timeout.TotalSeconds:0.###} s",
            _ => FailureDetail(exitCode, errors),
        };
        return new ExecutionResult(outcome, exitCode, detail, output, errors, clock.Elapsed);
    }

    private ProcessStartInfo StartInfo(string dir)
    {
        var python = new[] { Isolation.Python, "-I", "-B", SandboxRunnerScript.RunnerFile };
        string[] command = Isolation.Processes switch
        {
            ProcessIsolation.PidNamespace => [_setsid, _unshare, "--net", "--pid", "--fork", "--kill-child", "--", .. python],
            ProcessIsolation.ProcessGroup => [_setsid, .. python],
            _ => python,
        };
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = dir,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = dir;
        start.Environment["TMPDIR"] = dir;
        start.Environment["LANG"] = "C.UTF-8";
        return start;
    }

    private void KillAll(Process process)
    {
        if (Isolation.Processes == ProcessIsolation.ProcessTree)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            return;
        }
        NativeSignals.KillGroup(process.Id);
        var deadline = Stopwatch.StartNew();
        while (NativeSignals.GroupAlive(process.Id) && deadline.Elapsed < DrainWait)
        {
            Thread.Sleep(5);
            NativeSignals.KillGroup(process.Id);
        }
    }

    private static string FailureDetail(int exitCode, string stderr)
    {
        var signal = exitCode > 128 ? exitCode - 128 : 0;
        var lastLine = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        var reason = signal switch
        {
            9 => "killed (SIGKILL)",
            24 => "CPU time limit exceeded (SIGXCPU)",
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
            catch (IOException) when (attempt < 3)
            {
                Thread.Sleep(50);
            }
            catch (UnauthorizedAccessException) when (attempt < 3)
            {
                Thread.Sleep(50);
            }
        }
    }
}

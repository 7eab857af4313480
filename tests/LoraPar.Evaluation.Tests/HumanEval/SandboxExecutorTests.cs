using System.Diagnostics;
using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.HumanEval;
using LoraPar.Evaluation.Tests.Fakes;
using LoraPar.TestSupport;
using Xunit.Abstractions;

namespace LoraPar.Evaluation.Tests.HumanEval;

public sealed class SandboxExecutorTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public void All_164_canonical_solutions_pass_in_parallel_and_mutants_fail()
    {
        var path = SharedData.Require("datasets/humaneval/HumanEval.jsonl.gz");
        var problems = DatasetLoader.LoadHumanEval(new DatasetSource(path, DatasetFormat.HumanEval));
        var executor = Executor(TimeSpan.FromSeconds(20));
        var mutated = problems.Where((_, i) => i % 4 == 0).ToList();

        var clock = Stopwatch.StartNew();
        var results = executor.ExecuteAll(problems.Select(p => HumanEvalProgram.Compose(p, p.CanonicalSolution)).ToList());
        output.WriteLine($"{problems.Count} canonical solutions in {clock.Elapsed.TotalSeconds:0.0} s on {executor.Options.EffectiveWorkers} workers, {executor.Isolation}");
        var mutants = executor.ExecuteAll(mutated.Select(p => HumanEvalProgram.Compose(p, Mutant(p.CanonicalSolution))).ToList());

        Assert.Equal(164, problems.Count);
        var failures = problems.Zip(results).Where(p => !p.Second.Passed).Select(p => $"{p.First.TaskId}: {p.Second.Detail}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var survivors = mutated.Zip(mutants).Where(p => p.Second.Passed).Select(p => p.First.TaskId).ToList();
        Assert.True(survivors.Count == 0, "mutants passed: " + string.Join(", ", survivors));
        Assert.Empty(HostState.SurvivorsAfter(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Output_is_captured_without_the_marker_and_the_working_folder_is_writable()
    {
        var result = Executor(TimeSpan.FromSeconds(5)).Execute(
            "import os, tempfile\nopen('scratch.txt', 'w').write('x')\ntempfile.NamedTemporaryFile().close()\n" +
            "os.mkdir('sub')\nos.rename('scratch.txt', 'sub/s.txt')\nopen(os.devnull, 'w').write('x')\nprint('hi é')\n");
        Assert.True(result.Passed, result.Detail + result.Stderr);
        Assert.Equal("hi é\n", result.Stdout);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void Output_is_bounded_and_a_failing_assertion_is_reported()
    {
        var executor = Executor(TimeSpan.FromSeconds(5), o => o with { MaxOutputBytes = 1000 });
        var loud = executor.Execute("print('x' * 1000000)\n");
        Assert.True(loud.Passed, loud.Detail);
        Assert.Equal(1000 + "\n[output truncated]".Length, loud.Stdout.Length);
        var wrong = executor.Execute("def check(f):\n    assert f(1) == 2\ncheck(lambda x: x)\n");
        Assert.Equal((ExecutionOutcome.Failed, "AssertionError"), (wrong.Outcome, wrong.Detail));
        Assert.Contains("program.py", wrong.Stderr); // the traceback names the program's file and line
    }

    [Fact]
    public void The_cpu_limit_kills_a_busy_program_before_the_wall_timeout()
    {
        var result = Executor(TimeSpan.FromSeconds(60), o => o with { CpuSeconds = 1 }).Execute("while True:\n    pass\n");
        Assert.Equal(ExecutionOutcome.Failed, result.Outcome);
        Assert.StartsWith("killed (SIGKILL", result.Detail);
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_missing_bubblewrap_stops_the_sandbox_before_it_runs_anything()
    {
        var missing = _temp.File("no-such-bwrap");
        var error = Assert.Throws<Core.BadInputException>(() => Executor(TimeSpan.FromSeconds(5), o => o with { Bubblewrap = missing }));
        Assert.Contains("bubblewrap is missing", error.Message);
        Assert.Contains("apt-get install -y bubblewrap", error.Message);
        Assert.Contains("isolation = \"none\"", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(error.Message, SandboxRequirements.Missing(SandboxHost.Options with { Bubblewrap = missing }));
        Assert.Null(SandboxRequirements.Missing(SandboxHost.Options));
    }

    [Fact]
    public void Missing_user_namespaces_stop_the_sandbox_with_how_to_enable_them()
    {
        // Run as uid 65534 when the tests run as root, so it must be readable and executable by all.
        var bwrap = _temp.Write("bwrap", "#!/bin/sh\necho 'bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces.' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(bwrap, (UnixFileMode)0b111_101_101);

        var error = Assert.Throws<Core.BadInputException>(() => Executor(TimeSpan.FromSeconds(5), o => o with { Bubblewrap = bwrap }));

        Assert.StartsWith("bubblewrap cannot create the sandbox's user namespace here (bwrap: No permissions", error.Message);
        Assert.Contains("user.max_user_namespaces", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void An_interpreter_outside_usr_is_refused_under_bubblewrap()
    {
        var python = _temp.File("python3");
        File.CreateSymbolicLink(python, "/usr/bin/python3");
        var copy = _temp.File("python-copy");
        File.Copy("/usr/bin/python3", copy);
        Assert.True(Executor(TimeSpan.FromSeconds(5), o => o with { Python = python }).Execute("pass\n").Passed); // a link into /usr is fine
        var error = Assert.Throws<Core.BadInputException>(() => Executor(TimeSpan.FromSeconds(5), o => o with { Python = copy }));
        Assert.Contains("lives outside /usr", error.Message);
    }

    [Fact]
    public void Isolation_none_runs_unsandboxed_in_a_host_folder_that_is_removed_afterwards()
    {
        var executor = Executor(TimeSpan.FromSeconds(5), o => o with { Isolation = SandboxIsolation.None, WorkRoot = _temp.Path });
        var outside = _temp.File("outside.txt");
        var result = executor.Execute($"open('{outside}', 'w').write('x')\nopen('inside.txt', 'w').write('x')\n");
        Assert.Equal(SandboxIsolation.None, executor.Isolation);
        Assert.True(result.Passed, result.Detail + result.Stderr);
        Assert.True(File.Exists(outside)); // unsandboxed indeed
        Assert.Equal([outside], Directory.EnumerateFileSystemEntries(_temp.Path));
        Assert.Equal(ExecutionOutcome.Failed, executor.Execute("import os\nos._exit(0)\n").Outcome);
        Assert.Equal(ExecutionOutcome.TimedOut, Executor(TimeSpan.FromSeconds(1), o => o with { Isolation = SandboxIsolation.None }).Execute("while True:\n    pass\n").Outcome);
    }

    [Fact]
    public void When_the_parent_dies_the_whole_sandbox_dies()
    {
        // The sandbox's command under a shell that is then killed: bubblewrap's --die-with-parent must take everything with it.
        var start = SandboxLauncher.Resolve(SandboxHost.Options).StartInfo(null);
        var shell = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-c", "exec 3<&0; \"$@\" <&3 >/dev/null 2>&1 & wait", "sh", start.FileName, .. start.ArgumentList])
            shell.ArgumentList.Add(argument);
        using var parent = Process.Start(shell)!;
        parent.StandardInput.BaseStream.Write(SandboxRunnerScript.Input("0", "import os, time\nif os.fork() == 0:\n    os.setsid()\ntime.sleep(60)\n"));
        parent.StandardInput.Close();
        var deadline = Stopwatch.StartNew();
        while (SandboxPythons(parent.Id) < 2 && deadline.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(20);
        Assert.Equal(2, SandboxPythons(parent.Id));

        parent.Kill();
        parent.WaitForExit();

        Assert.Empty(HostState.SurvivorsAfter(TimeSpan.FromSeconds(5)));
    }

    private static int SandboxPythons(int root)
    {
        var descendants = new List<int>();
        for (var queue = new Queue<int>([root]); queue.Count > 0;)
            foreach (var child in HostProcesses.Children(queue.Dequeue())) { descendants.Add(child); queue.Enqueue(child); }
        return descendants.Count(pid => File.Exists($"/proc/{pid}/comm") && File.ReadAllText($"/proc/{pid}/comm").StartsWith("python", StringComparison.Ordinal));
    }

    /// <summary>The canonical solution made to return None before it computes anything.</summary>
    private static string Mutant(string solution) => "    return None\n" + solution;

    private SandboxExecutor Executor(TimeSpan timeout, Func<SandboxOptions, SandboxOptions>? configure = null)
    {
        var options = SandboxOptions.Default with { Timeout = timeout, WorkRoot = _temp.Path };
        return new SandboxExecutor(configure is null ? options : configure(options));
    }
}

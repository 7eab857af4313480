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
    public void All_164_canonical_solutions_pass_in_parallel()
    {
        var path = SharedData.Require("datasets/humaneval/HumanEval.jsonl.gz");
        var problems = DatasetLoader.LoadHumanEval(new DatasetSource(path, DatasetFormat.HumanEval));
        var executor = Executor(TimeSpan.FromSeconds(20));

        var clock = Stopwatch.StartNew();
        var results = executor.ExecuteAll(problems.Select(p => HumanEvalProgram.Compose(p, p.CanonicalSolution)).ToList());
        output.WriteLine($"164 canonical solutions in {clock.Elapsed.TotalSeconds:0.0} s on {executor.Options.EffectiveWorkers} workers, isolation {executor.Isolation}");

        var failures = problems.Zip(results).Where(p => !p.Second.Passed).Select(p => $"{p.First.TaskId}: {p.Second.Detail}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        AssertNothingLeftBehind(executor);
    }

    public static TheoryData<bool> Isolations => new() { true, false };

    [Theory]
    [MemberData(nameof(Isolations))]
    public void An_infinite_loop_is_killed_at_the_timeout(bool namespaces)
    {
        var executor = Executor(TimeSpan.FromSeconds(2), namespaces);
        var result = executor.Execute("def f():\n    while True:\n        pass\n\nf()\n");
        Assert.Equal(ExecutionOutcome.TimedOut, result.Outcome);
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6));
        AssertNothingLeftBehind(executor);
    }

    [Theory]
    [MemberData(nameof(Isolations))]
    public void A_forked_sleeper_cannot_outlive_the_program(bool namespaces)
    {
        var executor = Executor(TimeSpan.FromSeconds(2), namespaces);
        var result = executor.Execute("import os, time\nif os.fork() == 0:\n    time.sleep(60)\ntime.sleep(60)\n");
        Assert.Equal(ExecutionOutcome.Failed, result.Outcome);
        Assert.Contains("os.fork is not allowed", result.Detail);
        AssertNothingLeftBehind(executor);
    }

    [Fact]
    public void A_memory_hog_fails_at_the_memory_limit()
    {
        var executor = Executor(TimeSpan.FromSeconds(10), configure: o => o with { MemoryBytes = 256L << 20 });
        var result = executor.Execute("chunks = []\nwhile True:\n    chunks.append(bytearray(16 * 1024 * 1024))\n");
        Assert.Equal(ExecutionOutcome.Failed, result.Outcome);
        Assert.Contains("MemoryError", result.Detail);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(10));
        AssertNothingLeftBehind(executor);
    }

    [Theory]
    [MemberData(nameof(Isolations))]
    public void A_network_socket_attempt_fails(bool namespaces)
    {
        var executor = Executor(TimeSpan.FromSeconds(5), namespaces);
        var result = executor.Execute(
            "import socket\ndef check(f):\n    socket.create_connection(('127.0.0.1', 22), timeout=2).close()\ncheck(None)\n");
        Assert.Equal(ExecutionOutcome.Failed, result.Outcome);
        Assert.Contains("PermissionError", result.Detail);
        if (!namespaces) Assert.Equal(NetworkIsolation.PythonSocketBlock, executor.Isolation.Network);
        AssertNothingLeftBehind(executor);
    }

    [SkippableFact]
    public void The_network_namespace_has_only_a_loopback_interface()
    {
        var executor = Executor(TimeSpan.FromSeconds(5));
        output.WriteLine($"isolation: {executor.Isolation}");
        Skip.If(executor.Isolation.Network != NetworkIsolation.NetworkNamespace, "unshare --net does not work on this machine");
        var result = executor.Execute(
            "lines = open('/proc/net/dev').read().splitlines()[2:]\n" +
            "names = sorted(l.split(':')[0].strip() for l in lines)\n" +
            "assert names == ['lo'], names\n");
        Assert.True(result.Passed, result.Stderr);
    }

    [Fact]
    public void A_write_outside_its_folder_fails_and_leaves_no_file()
    {
        var target = _temp.File("outside.txt");
        var executor = Executor(TimeSpan.FromSeconds(5));
        var result = executor.Execute($"open({target.Quote()}, 'w').write('x')\n");
        Assert.Equal(ExecutionOutcome.Failed, result.Outcome);
        Assert.Contains("writing outside the working folder", result.Detail);
        Assert.False(File.Exists(target));

        var keep = _temp.Write("keep.txt", "k");
        Assert.Equal(ExecutionOutcome.Failed, executor.Execute($"import os\nos.remove({keep.Quote()})\n").Outcome);
        Assert.Equal(ExecutionOutcome.Failed, executor.Execute($"import os\nos.symlink({keep.Quote()}, 'l')\nopen('l', 'w').write('x')\n").Outcome);
        Assert.Equal(ExecutionOutcome.Failed, executor.Execute($"import os\nos.link({keep.Quote()}, 'h')\nopen('h', 'w').write('x')\n").Outcome);
        Assert.Equal(ExecutionOutcome.Failed, executor.Execute($"import shutil\nshutil.rmtree({_temp.Path.Quote()})\n").Outcome);
        Assert.Equal("k", File.ReadAllText(keep));
        AssertNothingLeftBehind(executor);
    }

    [Fact]
    public void Writes_inside_the_folder_are_allowed_and_removed_afterwards()
    {
        var executor = Executor(TimeSpan.FromSeconds(5));
        var result = executor.Execute(
            "import os, tempfile\nopen('scratch.txt', 'w').write('x')\ntempfile.NamedTemporaryFile().close()\n" +
            "os.mkdir('sub')\nos.rename('scratch.txt', 'sub/s.txt')\nopen(os.devnull, 'w').write('x')\nprint('hi')\n");
        Assert.True(result.Passed, result.Detail + result.Stderr);
        Assert.Equal("hi\n", result.Stdout);
        AssertNothingLeftBehind(executor);
    }

    [Fact]
    public void Exiting_early_is_a_failure_and_output_is_bounded()
    {
        var executor = Executor(TimeSpan.FromSeconds(5), configure: o => o with { MaxOutputBytes = 1000 });
        Assert.Equal(ExecutionOutcome.Failed, executor.Execute("import sys\nsys.exit(0)\nassert False\n").Outcome);
        Assert.Equal(ExecutionOutcome.Failed, executor.Execute("import os\nos._exit(0)\n").Outcome);
        var loud = executor.Execute("print('x' * 1000000)\n");
        Assert.True(loud.Passed);
        Assert.Equal(1000 + "\n[output truncated]".Length, loud.Stdout.Length);
        AssertNothingLeftBehind(executor);
    }

    [Fact]
    public void A_failing_assertion_is_reported()
    {
        var result = Executor(TimeSpan.FromSeconds(5)).Execute("def check(f):\n    assert f(1) == 2\ncheck(lambda x: x)\n");
        Assert.Equal(ExecutionOutcome.Failed, result.Outcome);
        Assert.Equal("AssertionError", result.Detail);
    }

    private SandboxExecutor Executor(TimeSpan timeout, bool namespaces = true, Func<SandboxOptions, SandboxOptions>? configure = null)
    {
        var root = _temp.File("work");
        Directory.CreateDirectory(root);
        var options = new SandboxOptions(timeout, WorkRoot: root, UseNamespaces: namespaces);
        return new SandboxExecutor(configure is null ? options : configure(options));
    }

    /// <summary>No temporary folder remains, and no process has its working folder under the work root.</summary>
    private static void AssertNothingLeftBehind(SandboxExecutor executor)
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(executor.WorkRoot));
        var survivors = Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => (Pid: Path.GetFileName(d), Cwd: CwdOf(d)))
            .Where(p => p.Cwd is not null && p.Cwd.StartsWith(executor.WorkRoot, StringComparison.Ordinal))
            .ToList();
        Assert.Empty(survivors);
    }

    private static string? CwdOf(string procDir)
    {
        try
        {
            return new FileInfo(Path.Combine(procDir, "cwd")).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

internal static class PythonLiteral
{
    /// <summary>A Python string literal of <paramref name="text"/>.</summary>
    public static string Quote(this string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}

using LoraPar.Evaluation.HumanEval;
using Xunit.Abstractions;

namespace LoraPar.Evaluation.Tests.HumanEval;

/// <summary>
/// Every hostile program of <see cref="HostileProgramCorpus"/> under the real bubblewrap sandbox: its outcome, within its
/// timeout, with the host canary unchanged, no listener contacted and no process of it left.
/// </summary>
public sealed class HostileProgramTests(SandboxHost sandbox, ITestOutputHelper output) : IClassFixture<SandboxHost>
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    public static TheoryData<string> Cases => [.. HostileProgramCorpus.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Is_contained(string name)
    {
        var hostile = HostileProgramCorpus.All.Single(c => c.Name == name);
        using var host = new HostState();

        var result = sandbox.Executor.Execute(sandbox.Fill(hostile.Program, host.Canary));

        output.WriteLine($"{name}: {result.Outcome} in {result.Elapsed.TotalSeconds:0.00} s ({result.Detail})");
        Assert.True(hostile.Expected == result.Outcome, $"expected {hostile.Expected}, got {result.Outcome}: {result.Detail}\n{result.Stderr}");
        Assert.InRange(result.Elapsed, TimeSpan.Zero, SandboxHost.Options.Timeout + Slack);
        Assert.InRange(result.Stdout.Length, 0, SandboxHost.Options.MaxOutputBytes + 100);
        Assert.True(host.CanaryIntact, "the host canary changed");
        Assert.False(sandbox.TakeContacts(), "a host listener was reached");
        Assert.Empty(HostState.SurvivorsAfter(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Inside_it_sees_only_the_sandbox()
    {
        var result = sandbox.Executor.Execute("""
            import os
            assert (os.getuid(), os.getgid(), os.getgroups()) == (65534, 65534, []), (os.getuid(), os.getgid(), os.getgroups())
            assert {e for e in os.listdir('/') if not e.startswith('lib')} == {'bin', 'dev', 'etc', 'proc', 'sbin', 'tmp', 'usr'}, os.listdir('/')
            assert os.listdir('/etc') == ['ld.so.cache'], os.listdir('/etc')
            assert os.getcwd() == '/tmp' and os.environ['HOME'] == '/tmp' and sorted(os.listdir('.')) == ['program.py'], os.listdir('.')
            assert sorted(os.environ) == ['HOME', 'LANG', 'PATH', 'PWD', 'TMPDIR'], sorted(os.environ)
            status = dict(line.split(':', 1) for line in open('/proc/self/status').read().splitlines())
            assert status['CapEff'].strip() == '0' * 16 and status['NoNewPrivs'].strip() == '1', status
            assert os.getpid() == 1 and os.getsid(0) == 1
            import socket
            assert [name for _, name in socket.if_nameindex()] == ['lo']
            import resource
            assert resource.getrlimit(resource.RLIMIT_NPROC) == (8, 8)
            assert resource.getrlimit(resource.RLIMIT_AS) == (256 << 20, 256 << 20)
            """);
        Assert.True(result.Passed, result.Detail + "\n" + result.Stderr);
    }

    [Fact]
    public void A_program_that_kills_everything_it_can_does_not_disturb_its_neighbours()
    {
        var killer = HostileProgramCorpus.Processes.Single(c => c.Name == "kill the parent and its group").Program;
        var innocent = "def check(f):\n    assert f(2) == 4\ncheck(lambda x: x * x)\n";
        var programs = Enumerable.Range(0, 12).Select(i => i % 3 == 0 ? killer : innocent).ToList();

        var results = sandbox.Executor.ExecuteAll(programs);

        Assert.All(results, r => Assert.True(r.Passed, r.Detail));
        Assert.Empty(HostState.SurvivorsAfter(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Frame_introspection_forges_a_pass_the_documented_limit_of_in_process_execution()
    {
        // SandboxRunnerScript's remarks and the README say so; this keeps them honest. Its host effects are still contained.
        var result = sandbox.Executor.Execute(HostileProgramCorpus.FrameIntrospection);
        Assert.Equal(ExecutionOutcome.Passed, result.Outcome);
        Assert.Empty(HostState.SurvivorsAfter(TimeSpan.FromSeconds(1)));
    }
}

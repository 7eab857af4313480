using System.Diagnostics;

namespace LoraPar.Cli.Tests.Commands;

/// <summary>
/// A real <c>lorapar run</c> child process (the built <c>lorapar.dll</c> beside the tests) is sent SIGINT or SIGTERM while a
/// stage runs: it stops cleanly with exit code 130, says which stage and step stopped and that a rerun continues, records
/// it in the run log, leaves no staging folder, and the rerun completes; <c>lorapar bench</c> stops the same way.
/// </summary>
public sealed class InterruptTests : CliTestFolder
{
    private const string Manifest = """
        name = "interrupt"
        artifacts = "artifacts"
        progress = "none"
        [model.tiny]
        layers = 1
        hidden_size = 32
        heads = 2
        intermediate_size = 64
        context_length = 64
        pretrain_steps = 2500
        pretrain_batch_size = 2
        [data]
        synthetic_train_size = 10
        synthetic_eval_size = 2
        """;

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_inside_a_stage_stops_it_cleanly_with_exit_code_130_and_a_rerun_completes(string signal)
    {
        var manifest = Write("m.toml", Manifest);
        var artifacts = Path.Combine(Dir, "artifacts");
        using var child = Start("run", manifest, "--stage", "pretrain");
        var stderr = child.StandardError.ReadToEndAsync();
        var stdout = child.StandardOutput.ReadToEndAsync();
        await WaitFor(() => StagingFolders(artifacts).Length > 0 || child.HasExited, "the pretrain stage to start");
        await Task.Delay(500);
        using (var kill = Process.Start("kill", [$"-{signal}", child.Id.ToString()])) await kill.WaitForExitAsync();
        await Exit(child, "the interrupted run");
        var err = await stderr;
        Assert.True(child.ExitCode == 130, $"exit {child.ExitCode}\n{await stdout}\n{err}");
        Assert.Contains($"SIG{signal} received", err);
        Assert.Contains("lorapar: interrupted: stage 'pretrain' stopped before step ", err);
        Assert.Contains("run again to continue", err);
        Assert.DoesNotContain("   at ", err);
        var log = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(artifacts, "runs", "interrupt", "logs"))));
        Assert.Contains("interrupted: stage 'pretrain' stopped before step ", log);
        Assert.Empty(StagingFolders(artifacts));

        var (code, _, rerunErr) = await RunToEnd("run", manifest, "--stage", "pretrain");
        Assert.True(code == 0, rerunErr);
        var pretrain = Assert.Single(Directory.GetDirectories(Path.Combine(artifacts, "pretrain")), d => !Path.GetFileName(d).StartsWith('.'));
        Assert.True(File.Exists(Path.Combine(pretrain, "stage.json")));
        Assert.Empty(StagingFolders(artifacts));
    }

    [Fact]
    public async Task A_signal_during_a_benchmark_stops_it_with_exit_code_130_and_a_message()
    {
        using var child = Start("bench", "grpo");
        var stderr = child.StandardError.ReadToEndAsync();
        var stdout = child.StandardOutput.ReadToEndAsync();
        await Task.Delay(2000);                                          // the full grpo suite takes longer than this
        using (var kill = Process.Start("kill", ["-INT", child.Id.ToString()])) await kill.WaitForExitAsync();
        await Exit(child, "the interrupted benchmark");
        var err = await stderr;
        Assert.True(child.ExitCode == 130, $"exit {child.ExitCode}\n{await stdout}\n{err}");
        Assert.Contains("SIGINT received", err);
        Assert.Contains("lorapar: interrupted; nothing was kept — run it again", err);
        Assert.DoesNotContain("   at ", err);
    }

    private static string[] StagingFolders(string artifacts) =>
        Directory.Exists(artifacts) ? Directory.GetDirectories(artifacts, ".tmp-*", SearchOption.AllDirectories) : [];

    private Process Start(params string[] args) => LoraparChild.Start(Dir, args);

    private Task<(int Code, string Out, string Err)> RunToEnd(params string[] args) => LoraparChild.RunToEnd(Dir, args);

    private static Task Exit(Process child, string what) => LoraparChild.Exit(child, what);

    private static Task WaitFor(Func<bool> condition, string what) => LoraparChild.WaitFor(condition, what);
}

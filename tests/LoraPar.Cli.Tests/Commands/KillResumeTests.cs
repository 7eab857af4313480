using System.Text.RegularExpressions;

namespace LoraPar.Cli.Tests.Commands;

/// <summary>
/// A real <c>lorapar run</c> child pretraining a tiny model, checkpointing after every step, is sent SIGKILL after a
/// checkpoint or SIGINT mid-stage and run again: the rerun continues from the newest checkpoint and commits the bytes of
/// an uninterrupted run (metrics' timing aside). The other stages' kills are swept by build/kill-sweep.sh.
/// </summary>
public sealed partial class KillResumeTests : CliTestFolder
{
    private const string Manifest = """
        name = "kill"
        artifacts = "artifacts"
        progress = "none"
        checkpoint_minutes = 0
        [model.tiny]
        layers = 1
        hidden_size = 32
        heads = 2
        intermediate_size = 64
        context_length = 64
        pretrain_steps = 400
        pretrain_batch_size = 2
        [data]
        synthetic_train_size = 10
        synthetic_eval_size = 2
        """;

    [Fact]
    public async Task Pretraining_killed_after_a_checkpoint_resumes_there_and_commits_the_uninterrupted_bytes()
    {
        var expected = await Uninterrupted();
        var folder = Folder("killed");
        using var child = LoraparChild.Start(folder, "run", "m.toml", "--stage", "pretrain");
        await LoraparChild.WaitFor(() => NewestCheckpoint(folder) >= 20 || child.HasExited, "a checkpoint after step 20");
        await LoraparChild.Signal(child, "KILL");
        await LoraparChild.Exit(child, "the killed run");
        Assert.NotEqual(0, child.ExitCode);

        var (code, _, err) = await LoraparChild.RunToEnd(folder, "run", "m.toml", "--stage", "pretrain");
        Assert.True(code == 0, err);
        Assert.Matches(@"pretrain: resumed at step (2\d|[3-9]\d|[1-9]\d\d) from ", RunLog(folder));
        AssertSameArtifact(expected, Pretrain(folder));
        Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(folder, "artifacts", "pretrain")),
            d => Path.GetFileName(d) is var n && (n.StartsWith(".tmp-") || n.StartsWith(".old-") || n.EndsWith(".partial")));
    }

    [Fact]
    public async Task Pretraining_interrupted_by_sigint_says_where_and_the_rerun_continues_from_that_step()
    {
        var expected = await Uninterrupted();
        var folder = Folder("interrupted");
        using var child = LoraparChild.Start(folder, "run", "m.toml", "--stage", "pretrain");
        var stderr = child.StandardError.ReadToEndAsync();
        await LoraparChild.WaitFor(() => NewestCheckpoint(folder) >= 5 || child.HasExited, "a checkpoint after step 5");
        await LoraparChild.Signal(child, "INT");
        await LoraparChild.Exit(child, "the interrupted run");
        var err = await stderr;
        Assert.True(child.ExitCode == 130, err);
        var stopped = int.Parse(StoppedBefore().Match(err).Groups[1].Value);

        var (code, _, rerunErr) = await LoraparChild.RunToEnd(folder, "run", "m.toml", "--stage", "pretrain");
        Assert.True(code == 0, rerunErr);
        Assert.Contains($"pretrain: resumed at step {stopped - 1} from ", RunLog(folder));
        AssertSameArtifact(expected, Pretrain(folder));
    }

    private async Task<string> Uninterrupted()
    {
        var folder = Folder("whole");
        var (code, _, err) = await LoraparChild.RunToEnd(folder, "run", "m.toml", "--stage", "pretrain");
        Assert.True(code == 0, err);
        return Pretrain(folder);
    }

    private string Folder(string name)
    {
        var folder = Path.Combine(Dir, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "m.toml"), Manifest);
        return folder;
    }

    private static string Pretrain(string folder) =>
        Assert.Single(Directory.GetDirectories(Path.Combine(folder, "artifacts", "pretrain")), d => !Path.GetFileName(d).StartsWith('.') && !d.EndsWith(".partial"));

    private static string RunLog(string folder) =>
        string.Concat(Directory.GetFiles(Path.Combine(folder, "artifacts", "runs", "kill", "logs")).Select(File.ReadAllText));

    /// <summary>The step of the newest complete checkpoint in the pretrain stage's partial folder (0 when none).</summary>
    private static int NewestCheckpoint(string folder)
    {
        var stage = Path.Combine(folder, "artifacts", "pretrain");
        if (!Directory.Exists(stage)) return 0;
        return Directory.GetDirectories(stage, "*.partial").SelectMany(p => Directory.Exists(Path.Combine(p, "checkpoints"))
                ? Directory.GetDirectories(Path.Combine(p, "checkpoints"), "step-*") : [])
            .Where(d => File.Exists(Path.Combine(d, "trainer_state.json")))
            .Select(d => int.Parse(Path.GetFileName(d)["step-".Length..])).DefaultIfEmpty(0).Max();
    }

    /// <summary>Every file equal byte for byte, but stage.json (start time, seconds) and metrics.json's pretrain_seconds.</summary>
    private static void AssertSameArtifact(string expected, string actual)
    {
        var names = Directory.GetFiles(expected).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(names, Directory.GetFiles(actual).Select(Path.GetFileName).Order().ToList());
        Assert.Contains("model.safetensors", names);
        foreach (var name in names.Where(n => n is not ("stage.json" or "metrics.json")))
            Assert.True(File.ReadAllBytes(Path.Combine(expected, name!)).SequenceEqual(File.ReadAllBytes(Path.Combine(actual, name!))), name);
        Assert.Equal(WithoutTiming(Path.Combine(expected, "metrics.json")), WithoutTiming(Path.Combine(actual, "metrics.json")));
    }

    private static string WithoutTiming(string metrics) =>
        string.Join('\n', File.ReadAllLines(metrics).Where(l => !l.Contains("_seconds")));

    [GeneratedRegex(@"stage 'pretrain' stopped before step (\d+) of")]
    private static partial Regex StoppedBefore();
}

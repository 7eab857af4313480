using LoraPar.Cli.Tests.MalformedCorpus;

namespace LoraPar.Cli.Tests.Commands;

/// <summary>
/// A learning rate that explodes (<c>learning_rate = 1e6</c> on a cut-down ci.toml) stops the SFT or the GRPO stage with
/// exit code 1 and one line naming the stage, the step, the tensor and the setting to change; nothing is committed and
/// the last good checkpoint stays.
/// </summary>
public sealed class TrainingGuardTests : CliTestFolder
{
    [Theory]
    [InlineData("sft", "sft")]
    [InlineData("rl", "grpo")]
    public void An_exploding_learning_rate_stops_the_stage_with_one_line_and_commits_nothing(string section, string stage)
    {
        var experiments = Path.Combine(Dir, "experiments");
        Directory.CreateDirectory(experiments);
        File.Copy(Path.Combine(CorpusTree.Root, "experiments", "ci.toml"), Path.Combine(experiments, "ci.toml"));
        var manifest = Write(Path.Combine("experiments", "guard.toml"),
            $"extends = \"ci.toml\"\nname = \"guard\"\nprogress = \"none\"\n[model.tiny]\npretrain_steps = 8\n[{section}]\nlearning_rate = 1e6\ncheckpoint_every = 1\n");

        var (code, _, stderr) = Cli("run", manifest);

        Assert.True(code == 1, stderr);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"lorapar: {stage}: an update grew parameter model.layers.", line);
        Assert.Matches(@"at step \d+ of \d+; the stage stopped and commits nothing\.", line);
        Assert.Contains($"Lower [{section}] learning_rate (now 1E+06), or raise [{section}] max_update_ratio (now 100)", line);
        var artifacts = Path.Combine(Dir, "artifacts", section);
        Assert.Empty(Directory.Exists(artifacts) ? Directory.GetDirectories(artifacts).Where(d => !Path.GetFileName(d).StartsWith(".locks") && !d.EndsWith(".partial", StringComparison.Ordinal)) : []);
        if (line.Contains("The last good checkpoint is kept at ", StringComparison.Ordinal))
        {
            var kept = line[(line.IndexOf("kept at ", StringComparison.Ordinal) + "kept at ".Length)..line.IndexOf("; the stage resumes", StringComparison.Ordinal)];
            Assert.True(File.Exists(Path.Combine(kept, "trainer_state.json")), kept);
        }
        else Assert.Contains("No checkpoint had been written yet.", line);
    }
}

namespace LoraPar.Cli.Tests.Commands;

/// <summary><c>run --executor</c> and <c>cancel</c> refuse what they cannot do before asking Slurm anything.</summary>
public sealed class ExecutorCommandTests : CliTestFolder
{
    private string Manifest() => Write("m.toml", "artifacts = \"artifacts\"\nprogress = \"none\"\n[data]\nsynthetic_train_size = 10\n");

    [Fact]
    public void An_unknown_executor_is_bad_usage()
    {
        var (code, _, stderr) = Cli("run", "--executor", "pbs", Manifest());
        Assert.Equal(2, code);
        Assert.Contains("pbs", stderr);
    }

    [Fact]
    public void Force_with_the_slurm_executor_is_refused_with_what_to_do_instead()
    {
        var (code, _, stderr) = Cli("run", "--executor", "slurm", "--force", "sft", Manifest());
        Assert.Equal(2, code);
        Assert.Contains("lorapar: --force runs here; with --executor slurm, remove the stage's artifact", stderr);
    }

    [Fact]
    public void Cancel_of_a_manifest_without_jobs_cancels_nothing()
    {
        var (code, stdout, stderr) = Cli("cancel", Manifest());
        Assert.True(code == 0, stderr);
        Assert.Contains("m: cancelled 0 jobs", stdout);
    }

    [Fact]
    public void Key_without_a_matching_stage_is_bad_input()
    {
        var (code, _, stderr) = Cli("run", "--stage", "data", "--key", "ffffffff", Manifest());
        Assert.Equal(2, code);
        Assert.Contains("--key ffffffff: no 'data' stage of this plan has that key", stderr);
    }
}

using System.Text.Json.Nodes;
using LoraPar.Cli.Tests.MalformedCorpus;

namespace LoraPar.Cli.Tests.Commands;

/// <summary><c>lorapar plan</c> on the paper's Table 4 proposal, and <c>run</c> refusing a stage the plan says cannot fit.</summary>
public sealed class PlanCommandTests : CliTestFolder
{
    [Fact]
    public void Plan_prints_one_table_for_the_four_runs_of_the_paper_proposal_and_every_stage_fits_80_gib()
    {
        using var tree = new CorpusTree();
        var paper = Path.Combine(tree.Folder, "experiments", "paper");
        var (code, stdout, stderr) = Cli("plan", Path.Combine(paper, "table4", "gsm8k-proposal.toml"), "--device-memory", "80GiB",
            "--model-config", Path.Combine(paper, "llama-2-7b.config.json"));
        Assert.True(code == 0, stderr);
        Assert.Single(stdout.Split('\n'), l => l.StartsWith("# resource plan for ", StringComparison.Ordinal));
        Assert.Contains("6.74e9 parameters", stdout);
        foreach (var stage in new[] { "scores", "sft", "rl", "eval-base", "eval" })
            Assert.Single(stdout.Split('\n'), l => l.StartsWith(stage + " ", StringComparison.Ordinal) && l.EndsWith("fits", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_as_json_names_the_fix_of_a_stage_that_does_not_fit()
    {
        using var tree = new CorpusTree();
        var paper = Path.Combine(tree.Folder, "experiments", "paper");
        var (code, stdout, stderr) = Cli("plan", Path.Combine(paper, "table4", "gsm8k-proposal.toml"), "--device-memory", "24GiB",
            "--model-config", Path.Combine(paper, "llama-2-7b.config.json"), "--json");
        Assert.True(code == 0, stderr);
        var rl = JsonNode.Parse(stdout)!.AsArray()[0]!["stages"]!.AsArray().Single(s => (string)s!["stage"]! == "rl")!;
        Assert.Equal("does-not-fit", (string)rl["verdict"]!);
        Assert.Equal("rl.gradient_checkpointing = true", (string)rl["fix"]!);
    }

    [Fact]
    public void Plan_of_a_checkpoint_that_is_not_here_asks_for_its_config()
    {
        using var tree = new CorpusTree();
        var (code, _, stderr) = Cli("plan", Path.Combine(tree.Folder, "experiments", "paper", "table4", "gsm8k-proposal.toml"));
        Assert.Equal(2, code);
        Assert.Contains("pass --model-config", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Run_refuses_a_stage_that_cannot_fit_the_stated_device_before_running_anything()
    {
        var manifest = Write("m.toml", "artifacts = \"art\"\n");
        var (code, stdout, stderr) = Cli("run", manifest, "--device-memory", "1MiB");
        Assert.Equal(2, code);
        Assert.Contains("plan: pretrain needs about", stdout);
        Assert.Contains("stage pretrain would need about", stderr);
        Assert.Contains("--try-anyway", stderr);
        Assert.False(Directory.Exists(Path.Combine(Dir, "art", "pretrain")));
    }
}

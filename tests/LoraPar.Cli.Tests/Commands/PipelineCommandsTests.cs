using LoraPar.Cli;
using LoraPar.Cli.Tests.MalformedCorpus;

namespace LoraPar.Cli.Tests.Commands;

public sealed class PipelineCommandsTests : CliTestFolder
{
    private string Manifest(string toml) => Write("m.toml", toml);

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "wrong type", "[lora]\nr = \"8\"\n", "m.toml:2:1 lora.r: expected an integer, got string \"8\"" },
        { "unknown key", "[partition]\nthetta = 0.9\n", "m.toml:2:1 partition.thetta: unknown key; did you mean 'theta'?" },
        { "out of range", "[partition]\nbeta = 2\n", "m.toml:2:1 partition.beta: 2 is outside [0, 1]: β is the fraction of shared elements active in stage 2" },
        { "bad enum", "method = \"lora_par\"\n", "m.toml:1:10 method: unknown value 'lora_par'; expected one of lora-par, sft, sft-then-rl, rl-then-sft, lora-par-sft; did you mean 'lora-par'?" },
        { "broken TOML", "seed = \n", "m.toml:1:8: invalid TOML: " },
        { "missing file", "[data]\ntrain = \"absent.jsonl\"\n", "m.toml:2:9 data.train: file not found: " },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Run_and_status_reject_a_malformed_manifest_with_exit_code_2_and_no_stack_trace(string what, string toml, string expected)
    {
        var path = Manifest(toml);
        foreach (var verb in new[] { "run", "status" })
        {
            var (code, _, stderr) = Cli(verb, path);
            Assert.True(code == 2, $"{what}: {verb} exited {code}: {stderr}");
            Assert.True(stderr.Contains(expected, StringComparison.Ordinal), $"{what}: expected '{expected}' in:\n{stderr}");
            Assert.DoesNotContain("   at ", stderr);
            Assert.StartsWith($"lorapar: {path}:", stderr);   // one located line, no header
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Fact]
    public void Dry_run_of_a_valid_manifest_prints_the_resolved_manifest_and_the_plan()
    {
        var (code, stdout, stderr) = Cli("run", "--dry-run", Manifest("[partition]\nalpha = 0.5\n[sweep]\nbeta = [0.0, 1.0]\n"));
        Assert.True(code == 0, stderr);
        Assert.Contains("[partition]\ntheta = 0.9\nalpha = 0.5\n", stdout.Replace("\r", ""));
        Assert.Contains("# plan: 2 runs", stdout);
        Assert.Contains("run beta=0", stdout);
        Assert.Contains("pretrain", stdout);
        Assert.Contains("would run", stdout);
        Assert.Contains("shared", stdout);   // the second run shares every stage upstream of masks
    }

    [Fact]
    public void Every_paper_manifest_passes_dry_run_validation_here()
    {
        // A copy of experiments/ (their artifacts = "../artifacts" resolve inside it): no test reads the repository's artifacts.
        using var tree = new CorpusTree();
        var manifests = Directory.GetFiles(Path.Combine(tree.Folder, "experiments", "paper"), "*.toml", SearchOption.AllDirectories);
        Assert.Equal(25 + 6, manifests.Length);                   // Tables 1–4 and the authors' profile (paper/authors/)
        foreach (var manifest in manifests)
        {
            var (code, stdout, stderr) = Cli("run", "--dry-run", manifest);
            Assert.True(code == 0, $"{manifest}: {stderr}");
            Assert.Matches("environment variable LORAPAR_LLAMA2_7B(_CHAT)? is not set", stdout);
        }
    }

    [Theory]
    [InlineData("quickstart.toml")]
    [InlineData("ci.toml")]
    public void The_embedded_manifests_pass_dry_run_validation(string name)
    {
        // A copy of experiments/, so the plan is made against an empty artifacts folder, whatever the checkout's holds.
        using var tree = new CorpusTree();
        var (code, stdout, stderr) = Cli("run", "--dry-run", Path.Combine(tree.Folder, "experiments", name));
        Assert.True(code == 0, $"{name}: {stderr}");
        Assert.Contains("pretrain", stdout);
        Assert.Contains("would run", stdout);
    }

    [Fact]
    public void Compare_without_a_baseline_is_bad_input_and_with_one_prints_the_paper_tables()
    {
        var path = Manifest("[report]\ntables = [\"table2\"]\n");
        Assert.Equal(2, Cli("compare", path).Code);
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "baselines", "paper.toml"))) root = Path.GetDirectoryName(root)!;
        var (code, stdout, stderr) = Cli("compare", path, "--baseline", Path.Combine(root, "baselines", "paper.toml"));
        Assert.True(code == 0, stderr);
        Assert.Contains("### table2: Influence of α and β", stdout);
        Assert.Contains("0 of 18 cells have a result of ours.", stdout);
    }

    [Fact]
    public void Clean_needs_a_manifest()
    {
        Assert.Equal(2, Cli("clean").Code);
    }
}

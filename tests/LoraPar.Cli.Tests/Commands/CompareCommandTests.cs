using System.Text.RegularExpressions;
using LoraPar.Cli;

namespace LoraPar.Cli.Tests.Commands;

public sealed class CompareCommandTests : CliTestFolder
{
    private string Manifest() => Write("m.toml", "name = \"m\"\nartifacts = \"artifacts\"\n");

    private static string Baseline(string name)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "baselines", name))) root = Path.GetDirectoryName(root)!;
        return Path.Combine(root, "baselines", name);
    }

    [Fact]
    public void Help_explains_check_and_every_way_to_name_an_earlier_run()
    {
        var (code, stdout, _) = Cli("compare", "--help");
        Assert.Equal(0, code);
        var help = Regex.Replace(stdout, @"\s+", " ");
        foreach (var phrase in new[] { "--check", "[tolerances]", "exit 1", "--against", "another manifest (a .toml file)",
                     "earlier run of this manifest", "run id", "unique prefix", "'previous'", "artifacts/runs/<name>/logs/",
                     "artifacts/runs/<name>/results/<id>.json" })
            Assert.Contains(phrase, help);
    }

    [Fact]
    public void Check_against_a_baseline_without_tolerances_is_bad_input()
    {
        var (code, stdout, stderr) = Cli("compare", Manifest(), "--baseline", Baseline("paper.toml"), "--check");
        Assert.True(code == 2, stderr);
        Assert.Contains("### table1", stdout);   // the comparison is still printed
        Assert.Contains("paper.toml: no [tolerances] table", stderr);
    }

    [Fact]
    public void Check_of_a_manifest_that_has_not_run_lists_the_missing_results_as_bad_input()
    {
        var (code, _, stderr) = Cli("compare", Manifest(), "--baseline", Baseline("quickstart.toml"), "--check");
        Assert.True(code == 2, stderr);
        Assert.Contains("no result of ours for metric 'synthetic_s1_accuracy_base'", stderr);
        Assert.Contains("run the manifest first", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Against_an_unknown_run_or_with_check_is_bad_input()
    {
        var manifest = Manifest();
        var (code, _, stderr) = Cli("compare", manifest, "--against", "20990101");
        Assert.True(code == 2, stderr);
        Assert.Contains("No run of 'm' is saved yet", stderr);
        (code, _, stderr) = Cli("compare", manifest, "--against", "previous", "--check");
        Assert.True(code == 2, stderr);
        Assert.Contains("cannot be combined with --against", stderr);
    }
}

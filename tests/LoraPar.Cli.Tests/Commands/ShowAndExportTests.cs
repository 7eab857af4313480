using System.Text.Json.Nodes;
using LoraPar.Adapters.Peft;
using LoraPar.Cli.Tests.MalformedCorpus;
using LoraPar.Model.Runtime;

namespace LoraPar.Cli.Tests.Commands;

/// <summary>
/// A tiny LoRA-PAR run through the CLI (experiments/ci.toml cut further), then what a user does next: read the headline at the end
/// of the run and again with <c>show</c>, follow <c>latest/</c>, and <c>export</c> the run.
/// </summary>
public sealed class ShowAndExportTests : CliTestFolder
{
    private static readonly string Tiny = TinyCi.Manifest("tiny");

    public ShowAndExportTests()
    {
        TorchRuntime.EnsureInitialized();
        Directory.CreateDirectory(Path.Combine(Dir, "experiments"));
        File.Copy(Path.Combine(CorpusTree.Root, "experiments", "ci.toml"), Path.Combine(Dir, "experiments", "ci.toml"));
        File.WriteAllText(Path.Combine(Dir, "experiments", "tiny.toml"), Tiny);
    }

    private string Manifest => Path.Combine(Dir, "experiments", "tiny.toml");

    [Fact]
    public void Show_and_export_before_any_run_say_what_to_do()
    {
        var (code, stdout, stderr) = Cli("show", Manifest);
        Assert.True(code == 0, stderr);
        Assert.Contains("no results yet", stdout);
        var export = Cli("export", Manifest, "--to", Path.Combine(Dir, "out"));
        Assert.Equal(2, export.Code);
        Assert.Contains("has no complete pretrain artifact for its current settings; run 'lorapar run ", export.Err);
        Assert.Equal(2, Cli("export", Manifest, "--to", Path.Combine(Dir, "out"), "--format", "gguf").Code);
        Assert.Contains("unknown region 'system3'", Cli("export", Manifest, "--to", Path.Combine(Dir, "out"), "--regions", "s1,system3").Err);
    }

    [Fact]
    public void A_run_ends_with_its_headline_and_paths_which_show_latest_and_export_then_follow()
    {
        var run = Cli("run", Manifest);
        Assert.True(run.Code == 0, run.Err);
        var end = run.Out[run.Out.IndexOf("\ntiny: lora-par, importance selection", StringComparison.Ordinal)..];
        Assert.Contains("  LoRA elements trained: stage 1 ", end);
        Assert.Contains("  answers correct    base stage 1 stage 2  stage 1 +/−", end);
        Assert.Matches(@"\n  System 2 +\d+\.\d% +\d+\.\d% +\d+\.\d%  \+\d+ / −\d+ \(p [01]\.\d{3}\)", end);
        Assert.Contains("  stage 2 adapter (rl) ", end);
        Assert.EndsWith($"links to all of these    {Path.Combine(Dir, "artifacts", "runs", "tiny", "latest")}\n", end.ReplaceLineEndings("\n"));

        var latest = Path.Combine(Dir, "artifacts", "runs", "tiny", "latest");
        Assert.StartsWith("# ", File.ReadAllText(Path.Combine(latest, "report.md")));
        Assert.True(File.Exists(Path.Combine(latest, "stage2-adapter", PeftAdapterFormat.ConfigFileName)));
        Assert.Contains("\"runs\"", File.ReadAllText(Path.Combine(latest, "results.json")));

        var show = Cli("show", Manifest);
        Assert.True(show.Code == 0, show.Err);
        Assert.Equal(end.TrimStart('\n'), show.Out);

        var exported = Cli("export", Manifest, "--to", Path.Combine(Dir, "out"), "--format", "both", "--regions", "s2");
        Assert.True(exported.Code == 0, exported.Err);
        Assert.Contains($"merged model     {Path.Combine(Dir, "out", "merged")}", exported.Out);
        var adapter = PeftAdapterFormat.Load(Path.Combine(Dir, "out", "adapter"));
        Assert.Equal(Path.Combine(Dir, "out", "base-model"), adapter.BaseModelNameOrPath);   // the tiny base travels with the export
        Assert.True(File.Exists(Path.Combine(Dir, "out", "base-model", "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(Dir, "out", "regions", "system2-only", PeftAdapterFormat.WeightsFileName)));

        var json = JsonNode.Parse(Cli("show", Manifest, "--json").Out)!;
        var outputs = json["runs"]![0]!["outputs"]!.AsObject();
        Assert.Equal(Path.Combine(Dir, "out", "merged"), outputs["merged model"]!.GetValue<string>());
        Assert.Equal(Path.Combine(Dir, "out", "regions", "system2-only"), outputs["region s2 adapter"]!.GetValue<string>());
        Assert.True(json["runs"]![0]!["metrics"]!["stage1_active_percent"]!.GetValue<double>() > 0);
    }
}

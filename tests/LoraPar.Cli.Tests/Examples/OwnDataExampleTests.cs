using System.Text.Json;
using LoraPar.Cli.Tests.Slurm;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Runtime;
using LoraPar.TestSupport;

namespace LoraPar.Cli.Tests.Examples;

/// <summary>
/// The README's "Your own model and data" walkthrough on the shipped example, <c>experiments/examples/own-data.toml</c>:
/// a checkpoint folder and chat data with a held-out file, through run → show → export, as a user types it.
/// </summary>
public sealed class OwnDataExampleTests : CliTestFolder
{
    [SkippableFact]
    public void The_own_data_example_runs_shows_and_exports_on_a_tiny_checkpoint()
    {
        var spm = SharedData.Require("models/llama2-tokenizer/tokenizer.model");
        TorchRuntime.EnsureInitialized();
        var model = TinyCheckpoint.Write(Path.Combine(Dir, "model"), spm, new TinyCheckpointShape(), seed: 1);
        var example = Path.Combine(SlurmCluster.RepositoryRoot(), "experiments", "examples", "own-data.toml");
        // the example as shipped; only where its model is and where artifacts go differ (the repository's artifacts/ stay untouched)
        var manifest = Write("mine.toml", $"extends = {JsonSerializer.Serialize(example)}\nartifacts = \"artifacts\"\n"
            + $"[model]\npath = {JsonSerializer.Serialize(model)}\n");

        var dry = Cli("run", manifest, "--dry-run");
        Assert.True(dry.Code == 0, dry.Err + dry.Out);
        Assert.Contains("rl.own_rewards on the first 3 training answers", dry.Out);
        Assert.Contains("chats-0: numeric 2/2  format 0.5/0.5", dry.Out);              // a gold answer earns every reward in full
        Assert.DoesNotContain("warning: ", dry.Out);

        var run = Cli("run", manifest);
        Assert.True(run.Code == 0, run.Err + run.Out);
        Assert.Contains("own-data: lora-par, importance selection", run.Out);
        Assert.Matches(@"Own held-out +\d+\.\d% +\d+\.\d% +\d+\.\d%", run.Out);   // the held-out file graded at every point

        var show = Cli("show", manifest, "--json");
        Assert.True(show.Code == 0, show.Err);
        using var results = JsonDocument.Parse(show.Out);
        var text = results.RootElement.GetRawText();
        Assert.Contains("own_accuracy_stage2", text);
        Assert.Contains("own_change_p_stage2", text);                                // McNemar between points on the own answer set
        Assert.Contains("sft_examples", text);

        var export = Cli("export", manifest, "--to", Path.Combine(Dir, "out"));
        Assert.True(export.Code == 0, export.Err + export.Out);
        var adapterConfig = File.ReadAllText(Path.Combine(Dir, "out", "adapter", "adapter_config.json"));
        Assert.Contains($"\"base_model_name_or_path\": {JsonSerializer.Serialize(model)}", adapterConfig);
        Assert.True(File.Exists(Path.Combine(Dir, "out", "adapter", "adapter_model.safetensors")));
    }
}

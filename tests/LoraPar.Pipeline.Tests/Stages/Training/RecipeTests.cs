using LoraPar.Adapters.Peft;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Tests.Regression;
using TorchSharp;

namespace LoraPar.Pipeline.Tests.Stages.Training;

/// <summary>
/// The paper's recipes as configuration, run for real on a very small budget (experiments/ci.toml cut further): each
/// recipe executes the training stages it names, in its order, on its data, and recipes share every upstream artifact.
/// </summary>
public sealed class RecipeTests : IDisposable
{
    private const string Tiny = """
        extends = "ci.toml"
        [model.tiny]
        pretrain_steps = 8
        [data]
        synthetic_train_size = 12
        synthetic_eval_size = 2
        [importance]
        samples_per_system = 4
        [rl]
        max_steps = 2
        max_completion_length = 16
        [eval]
        max_new_tokens = 8
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("lorapar-recipes-").FullName;

    public RecipeTests()
    {
        TorchRuntime.EnsureInitialized();
        Directory.CreateDirectory(Path.Combine(_root, "experiments"));
        File.Copy(Path.Combine(CiRun.RepositoryRoot(), "experiments", "ci.toml"), Path.Combine(_root, "experiments", "ci.toml"));
        File.WriteAllText(Path.Combine(_root, "experiments", "tiny.toml"), Tiny);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Each_recipe_runs_its_stages_in_its_order_on_its_data_and_shares_upstream_artifacts()
    {
        var loraPar = Run("lora-par", "method = \"lora-par\"");
        Assert.Equal(["pretrain", "data", "labels", "scores", "masks", "sft", "rl", "eval-base", "eval", "report"], Kinds(loraPar.Executed));
        Assert.Equal(12, Metric(loraPar, "sft", "sft_examples"));                        // D1 only: 12 System-1 items

        Assert.False(Directory.Exists(Path.Combine(Artifact(loraPar, "sft"), "adapter-epoch1")));  // one epoch: no snapshot

        var sftOnly = Run("sft", "method = \"sft\"\n[sft]\nepochs = 2");
        Assert.Equal(["sft", "eval", "report"], Kinds(sftOnly.Executed));                 // labels … masks reused
        AssertEpochPointsAreTwoModels(Artifact(sftOnly, "sft"), RunLogText("sft"));
        Assert.DoesNotContain(sftOnly.Executed.Concat(sftOnly.Reused), s => s.Kind == "rl");
        Assert.Equal(24, Metric(sftOnly, "sft", "sft_examples"));                         // D1 ∪ D2

        var stage1 = Run("lora-par-sft", "method = \"lora-par-sft\"");                   // Tables 1 and 3: stage 1 alone
        Assert.Equal(["sft", "eval", "report"], Kinds(stage1.Executed));                   // labels … masks reused
        Assert.Equal(12, Metric(stage1, "sft", "sft_examples"));                          // D1 only
        Assert.DoesNotContain(stage1.Executed.Concat(stage1.Reused), s => s.Kind == "rl");

        var pissaRl = Run("pissa-rl", "method = \"sft-then-rl\"\n[lora]\ninit = \"pissa\"\n[partition]\nselection = \"full\"");
        Assert.Equal(["scores", "masks", "sft", "rl", "eval", "report"], Kinds(pissaRl.Executed));  // PiSSA init: new scores and masks
        Assert.Equal(Stage(loraPar, "eval-base").Key, Stage(pissaRl, "eval-base").Key);                // the base is evaluated once
        Assert.Equal(24, Metric(pissaRl, "sft", "sft_examples"));
        Assert.Equal(Stage(pissaRl, "sft").Key, Stage(pissaRl, "rl").UpstreamKeys["sft"]);

        var reversed = Run("rl-then-sft", "method = \"rl-then-sft\"");
        Assert.Equal(["rl", "sft", "eval", "report"], Kinds(reversed.Executed));             // RL first, then SFT
        var rl = Stage(reversed, "rl");
        var sft = Stage(reversed, "sft");
        Assert.False(rl.UpstreamKeys.ContainsKey("sft"));                                 // RL starts from the fresh adapters
        Assert.Equal(rl.Key, sft.UpstreamKeys["rl"]);                                     // SFT continues from RL
        Assert.Equal(12, Metric(reversed, "sft", "sft_examples"));
        Assert.NotEqual(Stage(loraPar, "sft").Key, sft.Key);
    }

    /// <summary>
    /// A two-epoch SFT baseline commits the epoch-1 adapter beside the final one; they hold different values, and the eval
    /// stage takes stage 1 (Table 4's 1-epoch cell) from the first and stage 2 (the 2-epoch cell) from the second.
    /// </summary>
    private static void AssertEpochPointsAreTwoModels(string sft, string log)
    {
        using var scope = torch.NewDisposeScope();
        var epoch1 = PeftAdapterFormat.Load(Path.Combine(sft, "adapter-epoch1")).Tensors;
        var epoch2 = PeftAdapterFormat.Load(Path.Combine(sft, "adapter")).Tensors;
        Assert.False(Directory.Exists(Path.Combine(sft, "adapter-epoch2")));           // the last epoch is the adapter itself
        Assert.Equal(epoch1.Keys.Order(), epoch2.Keys.Order());
        Assert.Contains(epoch1.Keys, k => !epoch1[k].equal(epoch2[k]).all().item<bool>());
        Assert.Contains("eval @ stage1: sft/adapter-epoch1", log);
        Assert.Contains("eval @ stage2: sft/adapter", log);
    }

    /// <summary>Runs <paramref name="recipe"/> on top of the tiny settings (each recipe manifest extends tiny.toml).</summary>
    private RunSummary Run(string name, string recipe)
    {
        var path = Path.Combine(_root, "experiments", name + ".toml");
        File.WriteAllText(path, $"extends = \"tiny.toml\"\nname = \"{name}\"\n{recipe}\n");
        var service = new PipelineService(PipelineStages.CreateDefault(), new PipelineConsole(TextWriter.Null, Interactive: false), _root);
        return service.Run(new RunRequest(path), CancellationToken.None)!;
    }

    private static List<string> Kinds(IEnumerable<PlannedStage> stages) => stages.Select(s => s.Kind).ToList();

    private static PlannedStage Stage(RunSummary summary, string kind) =>
        summary.Executed.Concat(summary.Reused).Single(s => s.Kind == kind);

    private string RunLogText(string manifest) => string.Concat(
        Directory.GetFiles(Path.Combine(_root, "artifacts", "runs", manifest, "logs")).Select(File.ReadAllText));

    private string Artifact(RunSummary summary, string kind) => Path.Combine(_root, "artifacts", kind, Stage(summary, kind).Key);

    private double Metric(RunSummary summary, string kind, string metric) =>
        MetricsFile.Read(Path.Combine(_root, "artifacts", kind, Stage(summary, kind).Key, MetricsFile.FileName))[metric];
}

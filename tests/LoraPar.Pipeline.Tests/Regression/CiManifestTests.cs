using System.Text.Json.Nodes;
using LoraPar.Pipeline.Reporting;
using Snapshooter.Xunit;

namespace LoraPar.Pipeline.Tests.Regression;

/// <summary>
/// Runs experiments/ci.toml — every LoRA-PAR stage for real on a tiny budget — in a temporary artifacts folder and pins its
/// partition statistics and metrics (rounded so they hold on any x86-64 CPU), then checks a second run is a no-op.
/// </summary>
[Collection(GlobalRngCollection.Name)]
public sealed class CiManifestTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lorapar-ci-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Ci_manifest_runs_every_stage_and_matches_the_pinned_statistics()
    {
        var manifest = CopyManifest();
        var first = CiRun.Execute(manifest, _root);
        Assert.Equal(["pretrain", "data", "labels", "scores", "masks", "sft", "rl", "eval-base", "eval", "report"], first);

        var partition = JsonNode.Parse(File.ReadAllText(Single("masks", "partition.json")))!;
        var metrics = MetricsFile.Read(Single("eval", MetricsFile.FileName));
        var labels = MetricsFile.Read(Single("labels", MetricsFile.FileName));
        var pinned = new JsonObject
        {
            ["partition"] = CiRun.Rounded(partition),
            ["labels"] = new JsonObject(labels.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Math.Round(kv.Value, 2)))),
            // Accuracies of a model this small move by whole answers between CPUs at most: pinned to 5-point steps.
            ["eval"] = new JsonObject(metrics.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)(Math.Round(kv.Value / 5) * 5)))),
        };
        Snapshot.Match(pinned.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        Assert.Empty(CiRun.Execute(manifest, _root));
    }

    private string CopyManifest()
    {
        var source = Path.Combine(CiRun.RepositoryRoot(), "experiments", "ci.toml");
        var target = Path.Combine(_root, "experiments", "ci.toml");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target);
        return target;
    }

    private string Single(string stage, string file)
    {
        var dirs = Directory.GetDirectories(Path.Combine(_root, "artifacts", stage)).Where(d => !Path.GetFileName(d).StartsWith('.')).ToList();
        return Path.Combine(Assert.Single(dirs), file);
    }
}

using System.Text.Json.Nodes;
using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Reporting;

namespace LoraPar.Pipeline.Tests.Regression;

/// <summary>
/// experiments/ci.toml with the estimator ablation and mask robustness switched on, run for real: an estimator sweep shares one
/// scoring, keeps the paper's per-tensor counts, and the report carries both evidence sections with their figures.
/// </summary>
[Collection(GlobalRngCollection.Name)]
public sealed class EvidenceRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lorapar-evidence-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void An_estimator_sweep_with_robustness_scores_once_and_reports_the_evidence()
    {
        var executed = CiRun.Execute(Manifest(), _root);
        Assert.Single(executed, k => k == "scores");
        Assert.Equal(2, executed.Count(k => k == "masks"));

        var scores = Single("scores");
        Assert.True(File.Exists(Path.Combine(scores, EstimatorAgreement.FileName)));
        Assert.True(File.Exists(Path.Combine(scores, "importance_seed12.safetensors")));
        var masks = Directory.GetDirectories(Path.Combine(_root, "artifacts", "masks")).Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Select(d => (Dir: d, Metrics: MetricsFile.Read(Path.Combine(d, MetricsFile.FileName)))).OrderBy(m => m.Metrics["estimator_moved_s1"]).ToList();
        Assert.Equal(0, masks[0].Metrics["estimator_moved_s1"]);   // the paper's own estimator
        Assert.True(masks[1].Metrics["estimator_moved_s1"] > 0, "|φ| must choose other elements than the paper's score");
        // Equal counts per tensor: every module and layer keeps the same |S1| and |S2| under both estimators.
        string Counts(string dir)
        {
            var partition = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, PartitionReport.FileName)))!;
            return string.Join(";", new[] { "by_module", "by_layer" }.SelectMany(g => partition[g]!.AsArray())
                .Select(n => $"{n!["group"]}:{n["system1"]}/{n["system2"]}"));
        }
        Assert.Equal(Counts(masks[0].Dir), Counts(masks[1].Dir));
        foreach (var (dir, metrics) in masks)
        {
            var robustness = MaskRobustnessReport.Read(Path.Combine(dir, MaskRobustnessReport.FileName));
            Assert.Equal([2, 4, 8, 16], robustness.Prefixes.Select(p => p.Examples));
            Assert.Equal([12L], robustness.Seeds!.Seeds);
            Assert.Contains(robustness.Thetas, t => t.Theta == 0.9 && t.Bootstrap["s1"].Low <= t.Bootstrap["s1"].Mean);
            Assert.True(metrics.ContainsKey("robustness_bootstrap_jaccard_s1"));
        }
        var reports = Directory.GetDirectories(Path.Combine(_root, "artifacts", "report"))
            .Where(d => !Path.GetFileName(d).StartsWith('.')).Select(d => File.ReadAllText(Path.Combine(d, "report.md"))).ToList();  // not .locks
        Assert.All(reports, report =>
        {
            Assert.Contains("## Importance estimators", report);
            Assert.Contains("## Mask robustness", report);
            Assert.Contains("](robustness_theta.png)", report);
        });
    }

    private string Manifest()
    {
        var text = File.ReadAllText(Path.Combine(CiRun.RepositoryRoot(), "experiments", "ci.toml"))
            .Replace("[importance]\n", "[importance]\nrobustness_resamples = 20\nrobustness_seeds = 1\n", StringComparison.Ordinal)
            + "\n[sweep]\nestimator = [\"second-order\", \"magnitude\"]\n";
        var target = Path.Combine(_root, "experiments", "ci-evidence.toml");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, text);
        return target;
    }

    private string Single(string stage) =>
        Assert.Single(Directory.GetDirectories(Path.Combine(_root, "artifacts", stage)), d => !Path.GetFileName(d).StartsWith('.'));
}

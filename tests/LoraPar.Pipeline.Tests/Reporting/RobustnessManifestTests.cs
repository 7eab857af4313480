using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Tests.Regression;

namespace LoraPar.Pipeline.Tests.Reporting;

/// <summary>
/// experiments/robustness.toml replicates the quickstart over five seeds on one dataset and one pretrained base (the quickstart's
/// own: seed 7's runs are the quickstart's runs), and robustness-estimators.toml runs the estimator ablation on its scorings.
/// </summary>
public sealed class RobustnessManifestTests
{
    private static PipelinePlan Plan(string relative)
    {
        using var ws = new Workspace();
        var path = Path.Combine(CiRun.RepositoryRoot(), relative);
        var loaded = ManifestLoader.Load(path, new ManifestLoadOptions(CiRun.RepositoryRoot(), PathCheckMode.Warnings, _ => null));
        return PipelinePlan.Build(loaded.Manifest, PipelineStages.CreateDefault(), new ArtifactStore(ws.PathOf("artifacts")).Hashes);
    }

    private static IEnumerable<(string Kind, string Key)> Keys(PipelinePlan plan, string run) =>
        plan.NodesOf(run).Where(n => n.Kind != StageKinds.Report).Select(n => (n.Kind, n.Key));

    [Fact]
    public void Five_seeds_of_three_arms_share_the_quickstarts_dataset_and_base_and_seed_7_is_the_quickstart()
    {
        var robustness = Plan("experiments/robustness.toml");
        var quickstart = Plan("experiments/quickstart.toml");
        Assert.Equal(15, robustness.Variants.Count);
        Assert.Equal([7L, 8, 9, 10, 11], robustness.Variants.Select(v => v.Manifest.Seed).Distinct());
        Assert.Equal([MaskStrategy.Importance, MaskStrategy.Random, MaskStrategy.Full],
            robustness.Variants.Select(v => v.Manifest.Partition.Selection).Distinct());
        foreach (var kind in new[] { StageKinds.Pretrain, StageKinds.Data })
            Assert.Equal(quickstart.Nodes.Single(n => n.Kind == kind).Key, Assert.Single(robustness.Nodes, n => n.Kind == kind).Key);
        foreach (var selection in new[] { "importance", "random", "full" })
            Assert.Equal(Keys(quickstart, $"selection={selection}"), Keys(robustness, $"seed=7,selection={selection}"));
        Assert.Equal(5, robustness.Nodes.Count(n => n.Kind == StageKinds.Labels));
    }

    [Fact]
    public void The_estimator_ablation_trains_stage_1_only_on_the_robustness_scorings()
    {
        var ablation = Plan("experiments/robustness-estimators.toml");
        var robustness = Plan("experiments/robustness.toml");
        Assert.Equal(18, ablation.Variants.Count);
        Assert.All(ablation.Variants, v => Assert.Equal((TrainingMethod.LoraParSft, MaskStrategy.Importance), (v.Manifest.Method, v.Manifest.Partition.Selection)));
        Assert.Equal(Enum.GetValues<ImportanceEstimator>().Length, ablation.Variants.Select(v => v.Manifest.Importance.Estimator).Distinct().Count());
        Assert.DoesNotContain(ablation.Nodes, n => n.Kind == StageKinds.Rl);
        Assert.Equal([7L, 8, 9], ablation.Variants.Select(v => v.Manifest.Seed).Distinct());
        foreach (var seed in new[] { 7, 8, 9 })
            foreach (var kind in new[] { StageKinds.Scores, StageKinds.Masks, StageKinds.EvalBase })
                Assert.Equal(robustness.Find($"seed={seed},selection=importance", kind)!.Key, ablation.Find($"seed={seed},estimator=second-order", kind)!.Key);
    }

    [Fact]
    public void Replicates_over_bases_pretrain_one_base_and_one_dataset_per_seed_and_seed_7_is_the_quickstart()
    {
        var bases = Plan("experiments/robustness-bases.toml");
        var quickstart = Plan("experiments/quickstart.toml");
        Assert.Equal(15, bases.Variants.Count);
        Assert.Equal([7L, 8, 9, 10, 11], bases.Variants.Select(v => v.Manifest.Seed).Distinct());
        foreach (var kind in new[] { StageKinds.Pretrain, StageKinds.Data })
            Assert.Equal(5, bases.Nodes.Where(n => n.Kind == kind).Select(n => n.Key).Distinct().Count());
        foreach (var selection in new[] { "importance", "random", "full" })
            Assert.Equal(Keys(quickstart, $"selection={selection}"), Keys(bases, $"seed=7,selection={selection}"));
    }
}

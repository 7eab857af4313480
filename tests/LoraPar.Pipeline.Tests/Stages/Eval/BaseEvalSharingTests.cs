using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Stages.Eval;

/// <summary>The base point is evaluated by one eval-base artifact for every run that shares the base model, data and eval settings.</summary>
public sealed class BaseEvalSharingTests
{
    private const string Common = """
        [eval]
        benchmarks = ["synthetic"]
        points = ["base", "stage1", "stage2"]

        """;

    private static PipelinePlan Plan(Workspace ws, string file, string toml)
    {
        ws.Write(file, toml);
        var manifest = ws.Load(file).Manifest;
        return PipelinePlan.Build(manifest, PipelineStages.CreateDefault(), new ArtifactStore(ws.PathOf("artifacts")).Hashes);
    }

    [Fact]
    public void Manifests_differing_only_in_partition_settings_share_the_base_eval_artifact()
    {
        using var ws = new Workspace();
        var a = Plan(ws, "a.toml", Common + "[partition]\ntheta = 0.9\nalpha = 1.0\n");
        var b = Plan(ws, "b.toml", Common + "[partition]\ntheta = 0.5\nalpha = 0.5\n");

        Assert.Equal(a.Find("default", StageKinds.EvalBase)!.Key, b.Find("default", StageKinds.EvalBase)!.Key);
        Assert.NotEqual(a.Find("default", StageKinds.Eval)!.Key, b.Find("default", StageKinds.Eval)!.Key);

        var c = Plan(ws, "c.toml", Common + "[eval.humaneval]\ntemperature = 0.2\n");
        Assert.NotEqual(a.Find("default", StageKinds.EvalBase)!.Key, c.Find("default", StageKinds.EvalBase)!.Key);
    }

    [Fact]
    public void A_three_run_sweep_plans_one_base_eval_and_three_evals()
    {
        using var ws = new Workspace();
        var plan = Plan(ws, "s.toml", Common + "[sweep]\ntheta = [0.3, 0.6, 0.9]\n");

        Assert.Equal(3, plan.Variants.Count);
        Assert.Single(plan.Nodes, n => n.Kind == StageKinds.EvalBase);
        Assert.Equal(3, plan.Nodes.Count(n => n.Kind == StageKinds.Eval));
        Assert.All(plan.Nodes.Where(n => n.Kind == StageKinds.Eval), n => Assert.Contains(n.Upstream, u => u.Kind == StageKinds.EvalBase));
    }

    [Fact]
    public void Without_a_base_point_there_is_no_base_eval_stage()
    {
        using var ws = new Workspace();
        var plan = Plan(ws, "n.toml", Common.Replace("\"base\", ", "", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Nodes, n => n.Kind == StageKinds.EvalBase);
    }
}

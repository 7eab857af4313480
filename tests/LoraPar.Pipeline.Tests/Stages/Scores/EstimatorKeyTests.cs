using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Stages.Scores;

/// <summary>importance.estimator is read by the masks stage only: an estimator sweep shares one scoring.</summary>
public sealed class EstimatorKeyTests
{
    [Fact]
    public void The_estimator_moves_the_masks_key_but_not_the_scores_key()
    {
        using var ws = new Workspace();
        var unset = ws.Plan("a.toml", "");
        var paper = ws.Plan("b.toml", "[importance]\nestimator = \"second-order\"\n");
        var fisher = ws.Plan("c.toml", "[importance]\nestimator = \"fisher\"\n");
        var robust = ws.Plan("d.toml", "[importance]\nrobustness_resamples = 50\n");
        string Key(PipelinePlan p, string kind) => p.Find("default", kind)!.Key;

        Assert.Equal(Key(unset, StageKinds.Scores), Key(paper, StageKinds.Scores));
        Assert.Equal(Key(unset, StageKinds.Masks), Key(paper, StageKinds.Masks));
        Assert.Equal(Key(unset, StageKinds.Scores), Key(fisher, StageKinds.Scores));
        Assert.NotEqual(Key(unset, StageKinds.Masks), Key(fisher, StageKinds.Masks));
        Assert.NotEqual(Key(unset, StageKinds.Scores), Key(robust, StageKinds.Scores));
    }

    [Fact]
    public void An_estimator_sweep_plans_one_scoring_and_one_masks_stage_per_estimator()
    {
        using var ws = new Workspace();
        var plan = ws.Plan("s.toml", "[sweep]\nestimator = [\"second-order\", \"first-order\", \"fisher\", \"gradient\", \"magnitude\", \"random\"]\n");
        Assert.Equal(6, plan.Variants.Count);
        Assert.Single(plan.Nodes, n => n.Kind == StageKinds.Scores);
        Assert.Equal(6, plan.Nodes.Count(n => n.Kind == StageKinds.Masks));
    }
}

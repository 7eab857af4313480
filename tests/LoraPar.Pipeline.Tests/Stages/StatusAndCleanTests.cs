using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Stages;

public sealed class StatusAndCleanTests : IDisposable
{
    private readonly ProbePipeline _p = new("[partition]\nalpha = 1.0\n");

    public void Dispose() => _p.Dispose();

    private IReadOnlyList<StageStatus> Status() => StageStatusExplainer.Explain(_p.Plan(), _p.Store);

    [Fact]
    public void Status_says_which_setting_or_input_changed()
    {
        Assert.All(Status(), s => Assert.Contains("never run for this manifest", s.Reasons));
        _p.Run();
        Assert.All(Status(), s => Assert.True(s.Fresh));
        _p.Edit("[partition]\nalpha = 0.5\n");
        var status = Status().ToDictionary(s => s.Kind);
        Assert.True(status["scores"].Fresh);
        Assert.Contains("setting partition.alpha: 1 → 0.5", status["masks"].Reasons);
        Assert.Contains("upstream 'masks' changed", status["sft"].Reasons);
        _p.Edit("[partition]\nalpha = 1.0\n");
        _p.Ws.Write("data/train.jsonl", "{\"q\": 3}\n");
        status = Status().ToDictionary(s => s.Kind);
        Assert.Contains(status["data"].Reasons, r => r.StartsWith("input 'train' changed"));
        Assert.Contains("upstream 'data' changed", status["labels"].Reasons);
    }

    [Fact]
    public void Two_manifests_sharing_upstream_settings_share_artifacts_and_clean_keeps_what_either_uses()
    {
        _p.Run();
        _p.Counts();
        _p.Ws.Write("other.toml", "[partition]\nalpha = 0.0\n[data]\ntrain = \"data/train.jsonl\"\n");
        var other = _p.Ws.Load("other.toml").Manifest;
        var store = _p.Store;
        var otherPlan = PipelinePlan.Build(other, _p.Registry, store.Hashes);
        PipelineRunner.Run(otherPlan, store, new RunSelection(),
            new ExecutionEnvironment(LoraPar.Pipeline.Progress.NullProgressReporter.Instance, _ => { }, default));
        Assert.Equal(["masks", "sft", "rl", "eval", "report"], _p.Ran());
        Assert.Empty(ArtifactCleaner.Clean(store, [_p.Plan(), otherPlan]).Removed);
        var summary = ArtifactCleaner.Clean(store, [_p.Plan()]);
        Assert.Equal(5, summary.Removed.Count);
        Assert.True(summary.BytesFreed > 0);
        Assert.Empty(PipelineRunner.Run(_p.Plan(), store, new RunSelection(),
            new ExecutionEnvironment(LoraPar.Pipeline.Progress.NullProgressReporter.Instance, _ => { }, default)).Executed);
    }
}

using LoraPar.Pipeline.Benchmarks;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Stages;

public sealed class InterruptionTests
{
    private static IReadOnlyList<ProbeStage> DagWith(string kind, Action<LoraPar.Pipeline.Stages.StageContext, int> beforeStep) =>
        ProbeStage.LoraParDag(steps: 3).Select(s => s.Kind == kind
            ? new ProbeStage(s.Kind, UpstreamOf(s.Kind), ReadsOf(s.Kind)) { Steps = 3, BeforeStep = beforeStep }
            : s).ToList();

    private static IReadOnlyList<string> UpstreamOf(string kind) =>
        kind switch { "sft" => ["masks"], "rl" => ["sft"], _ => throw new ArgumentException(kind) };

    private static IReadOnlyList<string> ReadsOf(string kind) =>
        kind switch { "sft" => ["sft", "method", "seed"], "rl" => ["rl", "seed"], _ => throw new ArgumentException(kind) };

    private static void AssertNoTemporaryFolders(ArtifactStore store)
    {
        foreach (var kind in StageKinds.All) Assert.Empty(store.Leftovers(kind));
    }

    [Fact]
    public void Ctrl_c_stops_after_the_current_step_and_leaves_a_consistent_cache()
    {
        using var cts = new CancellationTokenSource();
        using var p = new ProbePipeline(stages: DagWith("sft", (_, step) => { if (step == 1) cts.Cancel(); }));
        Assert.ThrowsAny<OperationCanceledException>(() => p.Run(cancel: cts.Token));
        Assert.Equal(["data", "labels", "scores", "masks", "sft"], p.Ran());
        var plan = p.Plan();
        Assert.All(new[] { "data", "labels", "scores", "masks" }, k => Assert.True(p.Store.Check(k, plan.Find("default", k)!.Key).IsComplete));
        Assert.Equal(ArtifactState.Missing, p.Store.Check("sft", plan.Find("default", "sft")!.Key).State);
        AssertNoTemporaryFolders(p.Store);
        Assert.Equal(["sft", "rl", "eval", "report"], p.Run().Executed.Select(n => n.Kind));
    }

    [Fact]
    public void A_stage_dying_mid_write_leaves_no_complete_artifact()
    {
        var fail = true;
        using var p = new ProbePipeline(stages: DagWith("rl", (_, step) => { if (fail && step == 2) throw new IOException("disk vanished"); }));
        var error = Assert.Throws<LoraPar.Core.JobFailedException>(() => p.Run());
        Assert.Contains("stage 'rl' failed: disk vanished", error.Message);
        var rl = p.Plan().Find("default", "rl")!;
        Assert.Equal(ArtifactState.Missing, p.Store.Check("rl", rl.Key).State);
        AssertNoTemporaryFolders(p.Store);
        fail = false;
        Assert.Equal(["rl", "eval", "report"], p.Run().Executed.Select(n => n.Kind));
    }

    [Fact]
    public void A_killed_process_leftover_is_never_complete_and_the_keys_next_run_or_clean_removes_it()
    {
        using var p = new ProbePipeline();
        var store = p.Store;
        var masks = p.Plan().Find("default", "masks")!;
        var leftover = store.CreateTemporary("masks", masks.Key);
        File.WriteAllText(Path.Combine(leftover, "output.txt"), "half");
        Assert.Equal(ArtifactState.Missing, store.Check("masks", masks.Key).State);
        p.Run();
        Assert.True(store.Check("masks", masks.Key).IsComplete);
        Assert.False(Directory.Exists(leftover));                             // the key's next run removed it
        var orphan = store.CreateTemporary("masks", new string('e', StageKey.Length));
        var summary = ArtifactCleaner.Clean(store, [p.Plan()]);
        Assert.Contains(summary.Removed, r => r.Contains(".tmp-"));
        Assert.False(Directory.Exists(orphan));
    }

    [Fact]
    public async Task Two_concurrent_runs_compute_each_artifact_once()
    {
        using var p = new ProbePipeline(stages: ProbeStage.LoraParDag().Select(s =>
            new ProbeStage(s.Kind, Upstream(s.Kind), Reads(s.Kind)) { BeforeStep = (_, _) => Thread.Sleep(30) }).ToList());
        var runs = Enumerable.Range(0, 2).Select(_ => Task.Run(() => p.Run())).ToArray();
        await Task.WhenAll(runs);
        Assert.All(p.Counts().Values, count => Assert.Equal(1, count));
        Assert.Equal(8, runs.Sum(r => r.GetAwaiter().GetResult().Executed.Count));
        Assert.Equal(8, runs.Sum(r => r.GetAwaiter().GetResult().Reused.Count));
    }

    private static IReadOnlyList<string> Upstream(string kind)
    {
        var order = new[] { "data", "labels", "scores", "masks", "sft", "rl", "eval", "report" };
        var i = Array.IndexOf(order, kind);
        return i == 0 ? [] : [order[i - 1]];
    }

    private static IReadOnlyList<string> Reads(string kind) => kind == "data" ? ["data"] : ["seed"];
}

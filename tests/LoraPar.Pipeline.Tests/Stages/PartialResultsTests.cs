using LoraPar.Pipeline.Benchmarks;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Stages;

/// <summary>A key's partial-results folder: kept across failed attempts, checked against its key, removed on commit, force and clean.</summary>
public sealed class PartialResultsTests
{
    private static IReadOnlyList<ProbeStage> DagWithSft(Action<StageContext, int> beforeStep) =>
        ProbeStage.LoraParDag(steps: 3).Select(s => s.Kind == "sft"
            ? new ProbeStage("sft", ["masks"], ["sft", "method", "seed"]) { Steps = 3, BeforeStep = beforeStep }
            : s).ToList();

    [Fact]
    public void Partial_results_survive_a_failed_attempt_and_are_removed_once_the_artifact_is_committed()
    {
        var fail = true;
        var seenAtStart = new List<string>();
        using var p = new ProbePipeline(stages: DagWithSft((context, step) =>
        {
            var file = context.PartialPath("done.txt");
            if (step == 0) seenAtStart.Add(File.Exists(file) ? File.ReadAllText(file) : "");
            File.AppendAllText(file, $"{step};");
            if (fail && step == 1) throw new IOException("power cut");
        }));
        Assert.Throws<LoraPar.Core.JobFailedException>(() => p.Run());
        var sft = p.Plan().Find("default", "sft")!;
        Assert.True(File.Exists(Path.Combine(p.Store.PartialDirectoryOf("sft", sft.Key), "done.txt")));

        fail = false;
        p.Run();

        Assert.Equal(["", "0;1;"], seenAtStart);
        Assert.True(p.Store.Check("sft", sft.Key).IsComplete);
        Assert.False(Directory.Exists(p.Store.PartialDirectoryOf("sft", sft.Key)));
    }

    [Fact]
    public void A_partial_folder_that_names_another_key_is_discarded_not_resumed()
    {
        using var ws = new Workspace();
        var store = new ArtifactStore(ws.PathOf("artifacts"));
        var (key, other) = (new string('a', StageKey.Length), new string('b', StageKey.Length));
        File.WriteAllText(Path.Combine(store.OpenPartial("eval", key), "results.jsonl"), "{\"id\":\"x\"}\n");
        Assert.True(File.Exists(Path.Combine(store.OpenPartial("eval", key), "results.jsonl")));

        Directory.Move(store.PartialDirectoryOf("eval", key), store.PartialDirectoryOf("eval", other));

        var reopened = store.OpenPartial("eval", other);
        Assert.False(File.Exists(Path.Combine(reopened, "results.jsonl")));
        Assert.True(File.Exists(Path.Combine(reopened, ArtifactStore.PartialMarkerFileName)));
    }

    [Fact]
    public void Force_starts_afresh_and_clean_removes_partials_no_plan_uses()
    {
        using var p = new ProbePipeline();
        p.Run();
        var sft = p.Plan().Find("default", "sft")!;
        var stale = p.Store.OpenPartial("sft", sft.Key);
        File.WriteAllText(Path.Combine(stale, "old.txt"), "from an older attempt");
        PipelineRunner.Run(p.Plan(), p.Store, new RunSelection(Force: "sft"),
            new ExecutionEnvironment(LoraPar.Pipeline.Progress.NullProgressReporter.Instance, _ => { }, default));
        Assert.False(Directory.Exists(stale));

        var orphan = new string('c', StageKey.Length);
        p.Store.OpenPartial("sft", orphan);
        var kept = p.Store.OpenPartial("sft", sft.Key);
        var summary = ArtifactCleaner.Clean(p.Store, [p.Plan()]);
        Assert.Contains(Path.Combine("sft", orphan + ArtifactStore.PartialSuffix), summary.Removed);
        Assert.False(Directory.Exists(p.Store.PartialDirectoryOf("sft", orphan)));
        Assert.True(Directory.Exists(kept));
    }
}

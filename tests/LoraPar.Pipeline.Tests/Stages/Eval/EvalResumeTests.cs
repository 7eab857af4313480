using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Progress;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Stages.Eval;

/// <summary>An interrupted eval resumes from the per-example results it appended, and ends as an uninterrupted one.</summary>
public sealed class EvalResumeTests
{
    private const string Manifest = """
        [eval]
        benchmarks = ["synthetic"]
        points = ["base"]
        max_new_tokens = 10
        batch_size = 2
        """;

    private const string Set = "synthetic_s1_base.jsonl";

    public EvalResumeTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void A_cancelled_eval_resumes_where_it_stopped_and_matches_an_uninterrupted_run()
    {
        using var cts = new CancellationTokenSource();
        using var h = EvalFixtures.Harness(Manifest);
        Assert.ThrowsAny<OperationCanceledException>(() => h.Run(cts.Token, progress: new CancelAfter("eval", 2, cts)));

        var node = h.Plan().Find("default", StageKinds.EvalBase)!;
        Assert.Equal(ArtifactState.Missing, h.Store.Check(StageKinds.EvalBase, node.Key).State);
        Assert.Empty(h.Store.Leftovers(StageKinds.EvalBase));
        var partial = Path.Combine(h.Store.PartialDirectoryOf(StageKinds.EvalBase, node.Key), Set);
        var kept = File.ReadAllLines(partial);
        Assert.Equal(2, kept.Length);
        // Mark the kept answers: if the resumed run regenerated them, the marks would be gone.
        File.WriteAllLines(partial, kept.Select(l => l.Replace("\"output\":\"", "\"output\":\"KEPT ")));

        var log = new List<string>();
        h.Run(log: log.Add);

        Assert.Contains(log, l => l.Contains("resumed 2 of 5", StringComparison.Ordinal));
        var resumed = File.ReadAllLines(Path.Combine(h.Artifact(StageKinds.EvalBase), Set));
        Assert.Equal(5, resumed.Length);
        Assert.All(resumed.Take(2), l => Assert.Contains("\"output\":\"KEPT ", l));
        Assert.All(resumed.Skip(2), l => Assert.DoesNotContain("KEPT", l));
        Assert.False(Directory.Exists(h.Store.PartialDirectoryOf(StageKinds.EvalBase, node.Key)));

        using var fresh = EvalFixtures.Harness(Manifest);
        fresh.Run();
        var expected = File.ReadAllLines(Path.Combine(fresh.Artifact(StageKinds.EvalBase), Set));
        Assert.Equal(expected, resumed.Select(l => l.Replace("\"output\":\"KEPT ", "\"output\":\"")));
        Assert.Equal(Metrics(fresh), Metrics(h));
    }

    private static IReadOnlyDictionary<string, double> Metrics(StageHarness h) =>
        MetricsFile.Read(Path.Combine(h.Artifact(StageKinds.Eval), MetricsFile.FileName));

    /// <summary>Cancels once the task named <paramref name="description"/> has advanced <paramref name="units"/> units.</summary>
    private sealed class CancelAfter(string description, long units, CancellationTokenSource cts) : IProgressReporter
    {
        public IProgressTask Start(string name, long total, string unit = "steps") => new Task(name == description ? units : long.MaxValue, cts);

        private sealed class Task(long units, CancellationTokenSource cts) : IProgressTask
        {
            private long _done;

            public void Advance(long n = 1)
            {
                _done += n;
                if (_done >= units) cts.Cancel();
            }

            public void Status(string text) { }

            public void Dispose() { }
        }
    }
}

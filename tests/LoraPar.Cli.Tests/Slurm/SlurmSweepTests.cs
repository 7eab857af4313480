using System.Globalization;
using System.Text.Json.Nodes;
using LoraPar.Pipeline.Stages;
using Xunit.Abstractions;

namespace LoraPar.Cli.Tests.Slurm;

/// <summary>
/// <c>experiments/ci.toml</c> as a 4-run sweep (θ × α) on a real Slurm: the jobs' artifacts equal the local executor's, byte for
/// byte and key for key (timings aside); shared upstream stages are one job each; and by the scheduler's own start and end
/// times, no job started before the jobs it depends on ended.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmSweepTests(SlurmCluster cluster, ITestOutputHelper output) : SlurmTestFolder(cluster)
{
    /// <summary>Fields that record how long something took, the only outputs that differ between two runs of one stage.</summary>
    private static readonly HashSet<string> Timings = ["tokens_per_s", "completions_per_s", "pretrain_seconds", "started", "seconds"];

    [SkippableFact]
    public async Task A_sweep_on_slurm_computes_the_same_artifacts_as_the_local_executor_in_dependency_order()
    {
        RequireSlurm();
        var ci = File.ReadAllText(Path.Combine(SlurmCluster.RepositoryRoot(), "experiments", "ci.toml"));
        var sweep = ci.Replace("artifacts = \"../artifacts\"", "artifacts = \"slurm-artifacts\"") + "\n[sweep]\ntheta = [0.5, 0.9]\nalpha = [0.5, 1.0]\n";
        var onSlurm = Write("sweep.toml", sweep);
        var (code, stdout, stderr) = await Lorapar("run", "--executor", "slurm", "--wait", onSlurm);
        output.WriteLine(stdout);
        Assert.True(code == 0, stdout + stderr);

        var local = Write("local.toml", sweep.Replace("\"slurm-artifacts\"", "\"local-artifacts\""));
        var (localCode, _, localErr) = await Lorapar("run", "--executor", "local", local);
        Assert.True(localCode == 0, localErr);

        var (slurmStore, localStore) = (Path.Combine(Dir, "slurm-artifacts"), Path.Combine(Dir, "local-artifacts"));
        var folders = ArtifactFolders(slurmStore);
        Assert.Equal(ArtifactFolders(localStore), folders);
        foreach (var folder in folders) AssertSameArtifact(Path.Combine(slurmStore, folder), Path.Combine(localStore, folder));

        var jobs = Submissions(slurmStore);
        Assert.Equal(folders.Count, jobs.Count);                                  // every stage one job, shared ones included
        Assert.Equal(4, jobs.Count(j => j.Kind == StageKinds.Sft));
        Assert.Single(jobs, j => j.Kind == StageKinds.Scores);
        AssertDependencyOrder(slurmStore, jobs);
    }

    private void AssertDependencyOrder(string store, IReadOnlyList<Pipeline.Executors.SlurmSubmission> jobs)
    {
        var scheduler = Scheduler(jobs.Select(j => j.JobId));
        var byKey = jobs.ToDictionary(j => j.Key);
        output.WriteLine("job  stage      start                end                  after");
        foreach (var job in jobs.OrderBy(j => int.Parse(j.JobId, CultureInfo.InvariantCulture)))
        {
            var state = scheduler[job.JobId];
            Assert.Equal("COMPLETED", state.State);
            var record = StageRecord.TryRead(Path.Combine(store, job.Kind, job.Key, ArtifactStore.RecordFileName))!;
            var upstream = record.Upstream.Values.Select(k => byKey[k]).ToList();
            foreach (var before in upstream)
                Assert.True(Time(scheduler[before.JobId].End) <= Time(state.Start),
                    $"job {job.JobId} ({job.Kind}) started {state.Start}, before job {before.JobId} ({before.Kind}) ended {scheduler[before.JobId].End}");
            output.WriteLine($"{job.JobId,-4} {job.Kind,-10} {state.Start,-20} {state.End,-20} {string.Join(",", upstream.Select(u => u.JobId))}");
        }
    }

    private static DateTime Time(string slurm) => DateTime.ParseExact(slurm, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static void AssertSameArtifact(string slurm, string local)
    {
        var files = Directory.GetFiles(slurm, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(slurm, f)).Order().ToList();
        Assert.Equal(Directory.GetFiles(local, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(local, f)).Order(), files);
        foreach (var file in files)
        {
            var (a, b) = (Path.Combine(slurm, file), Path.Combine(local, file));
            if (file == ArtifactStore.RecordFileName || file.EndsWith(".jsonl", StringComparison.Ordinal) || file.EndsWith(".json", StringComparison.Ordinal))
                Assert.True(WithoutTimings(a) == WithoutTimings(b), $"{a} differs from {b} beyond timings");
            else
                Assert.True(File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)), $"{a} differs from {b}");
        }
    }

    /// <summary>A JSON or JSON-lines file without its timing fields, and stage.json without its output digests (timed files differ there).</summary>
    private static string WithoutTimings(string path)
    {
        var lines = File.ReadAllText(path).Trim().StartsWith('{') && path.EndsWith(".jsonl", StringComparison.Ordinal)
            ? File.ReadAllLines(path) : [File.ReadAllText(path)];
        return string.Join('\n', lines.Where(l => l.Length > 0).Select(l => Strip(JsonNode.Parse(l), Path.GetFileName(path))?.ToJsonString()));
    }

    private static JsonNode? Strip(JsonNode? node, string file)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Select(p => p.Key).ToList())
                if (Timings.Contains(key) || (file == ArtifactStore.RecordFileName && key is "outputs" or "computed_for")) obj.Remove(key);
                else Strip(obj[key], file);
        }
        if (node is JsonArray array) foreach (var item in array) Strip(item, file);
        return node;
    }
}

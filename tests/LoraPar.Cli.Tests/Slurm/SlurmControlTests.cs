using LoraPar.Pipeline.Executors;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Cli.Tests.Slurm;

/// <summary>
/// Controlling jobs on a real Slurm: <c>lorapar cancel</c> of a running stage leaves no partial or corrupt artifact and a rerun
/// submits only what is missing; two concurrent submissions create each stage's job once; a failing stage is reported with
/// its log tail and its dependents end as not run (not pending); a job told its time is up stops at a step and is requeued.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmControlTests(SlurmCluster cluster) : SlurmTestFolder(cluster), IDisposable
{
    /// <summary>A tiny pipeline whose pretraining runs long enough (thousands of tiny steps) to be caught while running.</summary>
    private const string LongPretrain = """
        name = "long"
        artifacts = "artifacts"
        progress = "lines"
        [model.tiny]
        layers = 1
        hidden_size = 32
        heads = 2
        intermediate_size = 64
        context_length = 64
        pretrain_steps = 20000
        pretrain_batch_size = 2
        [data]
        synthetic_train_size = 10
        synthetic_eval_size = 2
        [splitter]
        method = "heuristic"
        """;

    private string Artifacts => Path.Combine(Dir, "artifacts");

    [SkippableFact]
    public async Task Cancelling_a_running_stage_leaves_no_corrupt_artifact_and_a_rerun_submits_only_what_is_missing()
    {
        RequireSlurm();
        var manifest = Write("long.toml", LongPretrain);
        var (code, stdout, stderr) = await Lorapar("run", "--executor", "slurm", manifest);
        Assert.True(code == 0, stdout + stderr);
        var pretrain = Assert.Single(Submissions(Artifacts), s => s.Kind == StageKinds.Pretrain);
        await WaitFor(() => StagingFolders(Artifacts).Length > 0 && Scheduler([pretrain.JobId])[pretrain.JobId].State == "RUNNING", "pretraining to run");
        await WaitFor(() => ArtifactFolders(Artifacts).Any(f => f.StartsWith("labels/")), "the labels job");

        var (cancelCode, cancelled, cancelErr) = await Lorapar("cancel", manifest);
        Assert.True(cancelCode == 0, cancelErr);
        Assert.Contains($"cancelled job {pretrain.JobId} (pretrain", cancelled);
        var ids = Submissions(Artifacts).Select(s => s.JobId).ToList();
        await WaitFor(() => Scheduler(ids).Values.All(j => !j.IsActive), "every job to end");
        Assert.Equal("CANCELLED", Scheduler([pretrain.JobId])[pretrain.JobId].State);
        await WaitFor(() => StagingFolders(Artifacts).Length == 0, "the stopped stage to remove its staging folder");
        var store = new ArtifactStore(Artifacts);
        var kept = ArtifactFolders(Artifacts).Where(f => !f.EndsWith(".partial", StringComparison.Ordinal)).ToList(); // a .partial keeps checkpoints
        Assert.DoesNotContain(kept, f => f.StartsWith("pretrain/"));
        Assert.All(kept, f => Assert.True(store.Check(Path.GetDirectoryName(f)!, Path.GetFileName(f)).IsComplete, $"{f} is not complete"));

        var (rerunCode, rerun, rerunErr) = await Lorapar("run", "--executor", "slurm", manifest);
        Assert.True(rerunCode == 0, rerunErr);
        var fresh = rerun.Split('\n').Where(l => l.Contains(" fresh ")).ToList();
        Assert.Equal(kept.Count, fresh.Count);                                   // labels (and data) computed before the cancel
        Assert.Contains(rerun.Split('\n'), l => l.TrimStart().StartsWith("pretrain ") && l.Contains(" submitted "));
        Assert.DoesNotContain(rerun.Split('\n'), l => l.TrimStart().StartsWith("labels ") && l.Contains(" submitted "));
    }

    [SkippableFact]
    public async Task Two_concurrent_submissions_create_each_stage_job_once()
    {
        RequireSlurm();
        var manifest = Write("long.toml", LongPretrain);
        using var first = Start("run", "--executor", "slurm", manifest);
        using var second = Start("run", "--executor", "slurm", manifest);
        var results = await Task.WhenAll(Finish(first), Finish(second));
        Assert.All(results, r => Assert.True(r.Code == 0, r.Out + r.Err));
        var submitted = results.Sum(r => r.Out.Split('\n').Count(l => l.Contains(" submitted ")));
        var queued = results.Sum(r => r.Out.Split('\n').Count(l => l.Contains(" already queued ")));
        var jobs = Submissions(Artifacts);
        Assert.Equal(jobs.Count, submitted);
        Assert.True(queued > 0, "the later submission should find the earlier one's jobs");
        // Every job ever submitted from this folder, finished ones too (a quick stage may be done before this line runs;
        // finished jobs stay listed for MinJobAge): each stage's name exactly once.
        var names = SlurmCli.Require("squeue", ["-h", "--states=all", "-o", "%j|%Z"]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('|')).Where(f => f.Length == 2 && f[1].TrimEnd('/') == Dir.TrimEnd('/')).Select(f => f[0]).ToList();
        Assert.Equal(jobs.Count, names.Count);
        foreach (var job in jobs) Assert.Single(names, n => n == job.JobName);
    }

    [SkippableFact]
    public async Task A_failing_stage_is_reported_with_its_log_tail_and_its_dependents_do_not_stay_pending()
    {
        RequireSlurm();
        Write("train.jsonl", "{\"question\": \"What is 2 + 2?\", \"answer\": \"#### 4\"}\n{\"question\": \"What is 3 + 3?\"}\n");
        var manifest = Write("bad.toml", LongPretrain.Replace("pretrain_steps = 20000", "pretrain_steps = 5")
            .Replace("synthetic_train_size = 10\nsynthetic_eval_size = 2", "dataset = \"gsm8k\"\ntrain = \"train.jsonl\""));
        var (code, stdout, stderr) = await Lorapar("run", "--executor", "slurm", "--wait", manifest);
        Assert.True(code == 1, stdout + stderr);
        Assert.Contains("missing field 'answer'", stdout);                      // the data job's log tail
        Assert.Contains("not run: upstream data ", stdout);
        Assert.Contains("Slurm job of", stderr);
        var jobs = Submissions(Artifacts);
        var states = Scheduler(jobs.Select(j => j.JobId));
        Assert.All(jobs, j => Assert.False(states[j.JobId].IsActive, $"{j.Kind} is still {states[j.JobId].State}"));
        Assert.Equal("FAILED", states[jobs.Single(j => j.Kind == StageKinds.Data).JobId].State);
        Assert.Equal("CANCELLED", states[jobs.Single(j => j.Kind == StageKinds.Labels).JobId].State);

        var (_, status, _) = await Lorapar("status", manifest);
        Assert.Contains("FAILED", status);
        Assert.Contains("missing field 'answer'", status);
        Assert.Contains("not run: upstream data ", status);
    }

    [SkippableFact]
    public async Task A_job_signalled_before_its_time_limit_stops_at_a_step_and_is_requeued_to_finish()
    {
        RequireSlurm();
        // A checkpoint after every step, so the signal can wait for stepping to have begun: sent while the stage is still
        // setting up (its staging folder exists before its first step), it stops the run "between stages" instead.
        var manifest = Write("long.toml", "checkpoint_minutes = 0\n" + LongPretrain.Replace("pretrain_steps = 20000", "pretrain_steps = 800"));
        var (code, stdout, stderr) = await Lorapar("run", "--executor", "slurm", manifest);
        Assert.True(code == 0, stdout + stderr);
        var pretrain = Assert.Single(Submissions(Artifacts), s => s.Kind == StageKinds.Pretrain);
        await WaitFor(() => PretrainCheckpoints(Artifacts).Length > 0, "pretraining to write its first checkpoint");
        SlurmCli.Require("scancel", ["--signal=USR1", "--batch", pretrain.JobId]);  // what --signal=B:USR1@N sends near the limit
        await WaitFor(() => Scheduler([pretrain.JobId])[pretrain.JobId] is { State: "PENDING", Restarts: 1 }, "the job to be requeued");
        // Slurm holds a requeued job for AuthInfo's cred_expire (10 s in build/slurm-local.sh): a start within the second the
        // first run's credential was revoked would be refused ("Job credential revoked") and the job would end FAILED.
        await WaitFor(() => !Scheduler([pretrain.JobId])[pretrain.JobId].IsActive, "the requeued job to end");
        var job = Scheduler([pretrain.JobId])[pretrain.JobId];
        var log = File.ReadAllText(pretrain.Log);
        Assert.True(job.State == "COMPLETED",
            $"the requeued job ended {job.State}; scontrol:\n{SlurmCli.Require("scontrol", ["show", "job", pretrain.JobId])}\nits log:\n{log}");
        Assert.Equal(1, job.Restarts);
        Assert.True(log.Contains("requeueing job") && log.Contains("interrupted: stage 'pretrain' stopped before step"), $"the job's log:\n{log}");
        Assert.True(new ArtifactStore(Artifacts).Check(StageKinds.Pretrain, pretrain.Key).IsComplete);
    }

    /// <summary>The step checkpoints a running pretraining has written into its staging folder.</summary>
    private static string[] PretrainCheckpoints(string artifacts) =>
        Directory.Exists(Path.Combine(artifacts, StageKinds.Pretrain))
            ? Directory.GetFiles(Path.Combine(artifacts, StageKinds.Pretrain), "trainer_state.json", SearchOption.AllDirectories)
            : [];

    void IDisposable.Dispose()
    {
        EndLeftovers(Submissions(Artifacts).Select(s => s.JobId));
        Dispose();
    }
}

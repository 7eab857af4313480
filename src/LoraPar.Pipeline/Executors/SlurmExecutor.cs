using System.Diagnostics;
using Humanizer;
using LoraPar.Core;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Executors;

/// <summary>
/// The Slurm executor behind <c>run --executor slurm</c>, <c>status</c> and <c>cancel</c>: submits the plan's stale stages,
/// prints the job table, and with <c>--wait</c> follows the jobs until they end and reports the pipeline's outcome.
/// </summary>
public static class SlurmExecutor
{
    /// <summary>How often <c>--wait</c> asks the scheduler.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Submits <paramref name="plan"/>; with <paramref name="wait"/>, follows its jobs and fails when one did not succeed.</summary>
    public static IReadOnlyList<SlurmJobRow> Run(PipelinePlan plan, ArtifactStore store, string manifestFile, string workingDirectory, bool wait,
        TextWriter output, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var rows = SlurmSubmitter.Submit(plan, store, manifestFile, workingDirectory, cancel, output.WriteLine);
        SlurmReport.PrintTable(rows, store, output);
        if (!wait) return rows;
        var final = Follow(rows, output, cancel);
        var failures = Failures(rows, final).ToList();
        var ran = rows.Count(r => r.Job is not null);
        if (failures.Count > 0)
        {
            foreach (var line in failures) output.WriteLine(line);
            var failed = rows.Count(r => r.Job is { } j && final.GetValueOrDefault(j.JobId) is { Failed: true, DependencyFailed: false });
            throw new JobFailedException($"{plan.Manifest.Name}: {"Slurm job".ToQuantity(failed)} of {ran} failed; see the log lines above, "
                + $"or lorapar status {manifestFile}");
        }
        output.WriteLine($"{plan.Manifest.Name}: ran {"stage".ToQuantity(ran)} on Slurm, reused {rows.Count - ran} "
            + $"in {clock.Elapsed.Humanize(precision: 2)}");
        return rows;
    }

    /// <summary>The jobs recorded for the plan's stages (by key, whichever manifest submitted them), with their state.</summary>
    public static IReadOnlyList<(PlannedStage Node, SlurmSubmission Job, SlurmJob? State)> Jobs(PipelinePlan plan, ArtifactStore store)
    {
        var recorded = plan.Nodes
            .Select(n => (Node: n, Job: SlurmSubmission.Read(store.Root, n.Kind, n.Key))).Where(p => p.Job is not null).ToList();
        var known = recorded.Count == 0 ? new Dictionary<string, SlurmJob>() : SlurmQueue.Query(recorded.Select(p => p.Job!.JobId));
        return recorded.Select(p => (p.Node, p.Job!, known.GetValueOrDefault(p.Job!.JobId))).ToList();
    }

    /// <summary><c>status</c>'s Slurm part: each stale stage's job with its state; failures with their log tail or culprit.</summary>
    public static void PrintStatus(PipelinePlan plan, ArtifactStore store, TextWriter output)
    {
        var jobs = Jobs(plan, store);
        if (jobs.Count == 0) return;
        output.WriteLine($"# slurm jobs (records in {SlurmSubmission.Folder(store.Root)})");
        var byNode = jobs.Where(j => j.State is not null).ToDictionary(j => j.Node, j => (j.Job, j.State!));
        foreach (var (node, job, state) in jobs)
        {
            output.WriteLine(SlurmReport.Line(node, job, state));
            if (state is { Failed: true } || state is { DependencyFailed: true })
                foreach (var line in SlurmReport.Failure(node, job, state, n => byNode.TryGetValue(n, out var j) ? j : null)) output.WriteLine(line);
        }
    }

    /// <summary><c>cancel</c>: cancels the queued and running jobs of the plan's stages; returns their ids.</summary>
    public static IReadOnlyList<string> Cancel(PipelinePlan plan, ArtifactStore store, TextWriter output)
    {
        var active = Jobs(plan, store).Where(j => j.State is { IsActive: true }).ToList();
        if (active.Count > 0) SlurmCli.Require("scancel", active.Select(j => j.Job.JobId).ToList());
        foreach (var (node, job, state) in active) output.WriteLine($"cancelled job {job.JobId} ({node.Kind} {node.Key[..12]}, was {state!.State})");
        output.WriteLine($"{plan.Manifest.Name}: cancelled {"job".ToQuantity(active.Count)}");
        return active.Select(j => j.Job.JobId).ToList();
    }

    private static IReadOnlyDictionary<string, SlurmJob> Follow(IReadOnlyList<SlurmJobRow> rows, TextWriter output, CancellationToken cancel)
    {
        var followed = rows.Where(r => r.Job is not null).ToList();
        var seen = new Dictionary<string, string>();
        while (true)
        {
            var now = SlurmQueue.Query(followed.Select(r => r.Job!.JobId));
            foreach (var row in followed)
            {
                var state = now.GetValueOrDefault(row.Job!.JobId);
                var text = state is null ? "UNKNOWN" : state.Node.Length > 0 && state.State == "RUNNING" ? $"RUNNING on {state.Node}" : state.State;
                if (seen.GetValueOrDefault(row.Job.JobId) == text) continue;
                seen[row.Job.JobId] = text;
                output.WriteLine($"job {row.Job.JobId} {row.Node.Kind} {row.Node.Key[..8]}: {text}");
            }
            if (followed.All(r => now.GetValueOrDefault(r.Job!.JobId) is not { IsActive: true })) return now;
            if (cancel.WaitHandle.WaitOne(PollInterval))
                throw new InterruptedException("stopped following the jobs; they keep running (lorapar status shows them, lorapar cancel stops them)");
        }
    }

    private static IEnumerable<string> Failures(IReadOnlyList<SlurmJobRow> rows, IReadOnlyDictionary<string, SlurmJob> final)
    {
        var byNode = rows.Where(r => r.Job is not null && final.ContainsKey(r.Job.JobId)).ToDictionary(r => r.Node, r => (r.Job!, final[r.Job!.JobId]));
        foreach (var row in rows.Where(r => r.Job is not null))
        {
            if (!final.TryGetValue(row.Job!.JobId, out var state) || !state.Failed) continue;
            yield return SlurmReport.Line(row.Node, row.Job, state);
            foreach (var line in SlurmReport.Failure(row.Node, row.Job, state, n => byNode.TryGetValue(n, out var j) ? j : null)) yield return line;
        }
    }
}

using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Executors;

/// <summary>
/// How the Slurm jobs of a plan are shown: the job table after a submission, one line per job with its scheduler state, and for
/// a failed job the tail of its log; a job that never ran because an upstream job failed names that job.
/// </summary>
public static class SlurmReport
{
    /// <summary>Lines of a failed job's log shown.</summary>
    public const int TailLines = 15;

    /// <summary>The job table of a submission.</summary>
    public static void PrintTable(IReadOnlyList<SlurmJobRow> rows, ArtifactStore store, TextWriter output)
    {
        var submitted = rows.Count(r => r.Action == SlurmAction.Submitted);
        var queued = rows.Count(r => r.Action == SlurmAction.AlreadyQueued);
        output.WriteLine($"# slurm: {submitted} submitted, {queued} already queued, {rows.Count - submitted - queued} fresh; artifacts in {store.Root}");
        output.WriteLine($"  {"stage",-9} {"key",-12}  {"job",-8} {"action",-14} {"runs",-20} log");
        foreach (var row in rows)
        {
            var runs = row.Node.Variants.Count == 1 ? row.Node.Variants[0].Name : $"{row.Node.Variants.Count} runs";
            var action = row.Action switch { SlurmAction.Submitted => "submitted", SlurmAction.AlreadyQueued => "already queued", _ => "fresh" };
            output.WriteLine($"  {row.Node.Kind,-9} {row.Node.Key[..12]}  {row.Job?.JobId ?? "-",-8} {action,-14} {runs,-20} {row.Job?.Log ?? "-"}");
        }
    }

    /// <summary>One job's line: stage, key, state, job id, node, elapsed and log.</summary>
    public static string Line(PlannedStage node, SlurmSubmission job, SlurmJob? state)
    {
        if (state is null) return $"  {node.Kind,-9} {node.Key[..12]}  {"UNKNOWN",-10} job {job.JobId} (no longer known to Slurm)  log {job.Log}";
        var where = state.Node.Length > 0 ? $"  node {state.Node}" : "";
        var restarts = state.Restarts > 0 ? $"  requeued {state.Restarts}x" : "";
        return $"  {node.Kind,-9} {node.Key[..12]}  {state.State,-10} job {job.JobId}{where}  elapsed {state.Elapsed}{restarts}  log {job.Log}";
    }

    /// <summary>What went wrong with a job that did not succeed: its log tail, or the failed upstream job it waited on.</summary>
    public static IEnumerable<string> Failure(PlannedStage node, SlurmSubmission job, SlurmJob state, Func<PlannedStage, (SlurmSubmission, SlurmJob)?> jobOf)
    {
        if (state.DependencyFailed)
        {
            var culprit = node.Upstream.Select(u => (Node: u, Job: jobOf(u))).FirstOrDefault(u => u.Job is { Item2.Failed: true });
            yield return culprit.Job is { } failed
                ? $"      not run: upstream {culprit.Node.Kind} {culprit.Node.Key[..12]} (job {failed.Item1.JobId}) {failed.Item2.State}"
                : "      not run: an upstream job did not succeed";
            yield break;
        }
        yield return $"      {state.State} (exit code {state.ExitCode}); last lines of {job.Log}:";
        foreach (var line in Tail(job.Log)) yield return "      | " + line;
    }

    /// <summary>The last <see cref="TailLines"/> lines of a log (none when it does not exist yet).</summary>
    public static IReadOnlyList<string> Tail(string path)
    {
        if (!File.Exists(path)) return ["(no log written)"];
        var lines = File.ReadAllLines(path);
        return lines[Math.Max(0, lines.Length - TailLines)..];
    }
}

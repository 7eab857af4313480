namespace LoraPar.Pipeline.Executors;

/// <summary>The scheduler's view of a set of jobs: the controller's records, then accounting for jobs it no longer holds.</summary>
public static class SlurmQueue
{
    /// <summary>The jobs among <paramref name="ids"/> that Slurm knows, by id.</summary>
    public static IReadOnlyDictionary<string, SlurmJob> Query(IEnumerable<string> ids)
    {
        var wanted = ids.Distinct().ToList();
        if (wanted.Count == 0) return new Dictionary<string, SlurmJob>();
        var shown = SlurmCli.Run("scontrol", ["show", "job", "-o"]);
        if (!shown.Ok) throw new LoraPar.Core.JobFailedException($"scontrol show job failed (exit code {shown.ExitCode}): {shown.Error.Trim()}");
        var jobs = SlurmJob.ParseScontrol(shown.Out).Where(j => wanted.Contains(j.Id)).ToDictionary(j => j.Id);
        var forgotten = wanted.Where(id => !jobs.ContainsKey(id)).ToList();
        if (forgotten.Count == 0) return jobs;
        var accounted = SlurmCli.Run("sacct", ["-n", "-P", "-X", "-j", string.Join(',', forgotten), "-o", "JobID,JobName,State,NodeList,Elapsed,Start,End,ExitCode"]);
        if (accounted.Ok)
            foreach (var job in SlurmJob.ParseSacct(accounted.Out).Where(j => forgotten.Contains(j.Id))) jobs[job.Id] = job;
        return jobs;
    }
}

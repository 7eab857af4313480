namespace LoraPar.Pipeline.Executors;

/// <summary>
/// One job as the scheduler reports it (<c>scontrol show job -o</c>, or <c>sacct</c> once the controller forgot it).
/// </summary>
/// <param name="Id">Job id.</param>
/// <param name="Name">Job name (<see cref="SlurmJobName"/>).</param>
/// <param name="State">Slurm's state: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, REQUEUED, …</param>
/// <param name="Reason">Why it waits or ended (e.g. Dependency, DependencyNeverSatisfied, NonZeroExitCode).</param>
/// <param name="Node">Where it runs or ran (empty while pending).</param>
/// <param name="Elapsed">Run time so far.</param>
/// <param name="Start">Start time as Slurm prints it (<c>Unknown</c> while pending).</param>
/// <param name="End">End time as Slurm prints it.</param>
/// <param name="ExitCode">Exit code and signal, <c>code:signal</c>.</param>
/// <param name="Restarts">How often it was requeued.</param>
public sealed record SlurmJob(string Id, string Name, string State, string Reason, string Node, string Elapsed, string Start, string End,
    string ExitCode, int Restarts)
{
    private static readonly HashSet<string> Active = ["PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "REQUEUED", "REQUEUE_HOLD",
        "REQUEUE_FED", "RESIZING", "SUSPENDED", "STAGE_OUT", "SIGNALING", "RESV_DEL_HOLD", "STOPPED"];

    /// <summary>Whether the job is still queued or running (its stage may yet complete).</summary>
    public bool IsActive => Active.Contains(State);

    /// <summary>Whether it ended successfully.</summary>
    public bool Succeeded => State == "COMPLETED";

    /// <summary>Whether it ended without success (failed, cancelled, timed out, out of memory, node failure, …).</summary>
    public bool Failed => !IsActive && !Succeeded;

    /// <summary>Whether it ended (or will end) without running because an upstream job failed.</summary>
    public bool DependencyFailed => Reason == "DependencyNeverSatisfied";

    /// <summary>The jobs in <c>scontrol show job -o</c> output (one per line of <c>Key=Value</c> fields).</summary>
    public static IEnumerable<SlurmJob> ParseScontrol(string output)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Split('=', 2)).Where(f => f.Length == 2)
                .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);
            if (!fields.TryGetValue("JobId", out var id)) continue;
            string Get(string key) => fields.GetValueOrDefault(key, "");
            var node = Get("NodeList") is "(null)" ? "" : Get("NodeList");
            yield return new SlurmJob(id, Get("JobName"), Get("JobState"), Get("Reason"), node, Get("RunTime"), Get("StartTime"),
                Get("EndTime"), Get("ExitCode"), int.TryParse(Get("Restarts"), out var restarts) ? restarts : 0);
        }
    }

    /// <summary>The jobs in <c>sacct -n -P -X -o JobID,JobName,State,NodeList,Elapsed,Start,End,ExitCode</c> output.</summary>
    public static IEnumerable<SlurmJob> ParseSacct(string output)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split('|');
            if (f.Length < 8) continue;
            var state = f[2].Split(' ')[0];                            // "CANCELLED by 0"
            yield return new SlurmJob(f[0], f[1], state, "", f[3] == "None assigned" ? "" : f[3], f[4], f[5], f[6], f[7], 0);
        }
    }
}

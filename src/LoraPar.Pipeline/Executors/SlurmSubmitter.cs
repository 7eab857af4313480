using System.Reflection;
using LoraPar.Core;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Executors;

/// <summary>
/// Submits a plan to Slurm: every stale node becomes one batch job depending (<c>afterok</c>) on the jobs of its stale upstream
/// nodes. Fresh nodes are not submitted; a node shared by several runs is one node of the plan, so one job; a key whose job is
/// still queued or running (recorded in <see cref="SlurmSubmission"/>) is depended on, not submitted again. The whole pass holds
/// the artifacts folder's submission lock, so two concurrent <c>run</c>s submit each key once.
/// </summary>
public static class SlurmSubmitter
{
    /// <summary>Submits the stale nodes of <paramref name="plan"/>; returns one row per node, in plan order.</summary>
    public static IReadOnlyList<SlurmJobRow> Submit(PipelinePlan plan, ArtifactStore store, string manifestFile, string workingDirectory,
        CancellationToken cancel, Action<string> waiting)
    {
        if (plan.Blocked.Count > 0)
            throw new JobFailedException("the manifest needs stages this build cannot run:\n"
                + string.Join('\n', plan.Blocked.Select(b => $"  {b.Kind} ({b.Variant}): {b.Reason}").Distinct()));
        var settings = plan.Manifest.Executor;
        var command = NodeCommand(settings);
        using var claim = KeyLock.Acquire(SlurmSubmission.LockPath(store.Root), cancel, waiting);
        var stale = plan.Nodes.Where(n => !store.Check(n.Kind, n.Key).IsComplete).ToList();
        var recorded = stale.Select(n => SlurmSubmission.Read(store.Root, n.Kind, n.Key)).OfType<SlurmSubmission>().ToList();
        var known = SlurmQueue.Query(recorded.Select(r => r.JobId));
        var jobs = new Dictionary<PlannedStage, SlurmSubmission>();
        var rows = new List<SlurmJobRow>();
        foreach (var node in plan.Nodes)
        {
            cancel.ThrowIfCancellationRequested();
            if (!stale.Contains(node)) { rows.Add(new SlurmJobRow(node, SlurmAction.Fresh, null)); continue; }
            if (!node.Runnable)
                throw new BadInputException($"stage '{node.Kind}' cannot run: input {string.Join(", ", node.Inputs.Where(i => i.Hash is null).Select(i => i.Path))} not found");
            var earlier = recorded.FirstOrDefault(r => r.Kind == node.Kind && r.Key == node.Key);
            if (earlier is not null && known.TryGetValue(earlier.JobId, out var job) && job.IsActive)
            {
                jobs[node] = earlier;
                rows.Add(new SlurmJobRow(node, SlurmAction.AlreadyQueued, earlier));
                continue;
            }
            var submitted = SubmitOne(plan, node, store, manifestFile, workingDirectory, command,
                node.Upstream.Where(jobs.ContainsKey).Select(u => jobs[u].JobId).ToList());
            submitted.Write(store.Root);
            jobs[node] = submitted;
            rows.Add(new SlurmJobRow(node, SlurmAction.Submitted, submitted));
        }
        return rows;
    }

    private static SlurmSubmission SubmitOne(PipelinePlan plan, PlannedStage node, ArtifactStore store, string manifestFile,
        string workingDirectory, IReadOnlyList<string> command, IReadOnlyList<string> dependencies)
    {
        var folder = Path.Combine(store.RunsDirectory, plan.Manifest.Name, "slurm");
        var stem = $"{node.Kind}-{node.Key[..12]}";
        var script = Path.Combine(folder, stem + ".sh");
        AtomicFile.WriteAllText(script, SlurmJobScript.Text(node, [.. command, "run", "--executor", "local", "--stage", node.Kind,
            "--key", node.Key, manifestFile]));
        var name = SlurmJobName.Of(plan.Manifest.Name, node.Kind, node.Key);
        var log = Path.Combine(folder, stem + ".%j.log");
        var options = SlurmJobScript.Options(node, plan.Manifest.Executor, name, log, workingDirectory, dependencies);
        var id = SlurmCli.Require("sbatch", [.. options, script]).Trim().Split(';')[0];
        return new SlurmSubmission(node.Kind, node.Key, id, name, manifestFile, log.Replace("%j", id), DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// The command that starts lorapar on a node: the setting, or the lorapar running now (its host and assembly under dotnet).
    /// For the latter the tensor runtime is loaded here first: on a libstdc++ older than TorchSharp's, that patches the native
    /// library in lorapar's folder once (<see cref="TorchRuntime"/>), before concurrent jobs would each try to.
    /// </summary>
    public static IReadOnlyList<string> NodeCommand(ExecutorSettings settings)
    {
        if (settings.Command.Length > 0) return settings.Command.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        TorchRuntime.EnsureInitialized();
        var process = Environment.ProcessPath ?? throw new JobFailedException("cannot tell how this lorapar was started; set executor.command");
        if (!Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return [process];
        var entry = Assembly.GetEntryAssembly()?.Location;
        if (entry is null || !Path.GetFileName(entry).Equals("lorapar.dll", StringComparison.OrdinalIgnoreCase))
            throw new JobFailedException("this process is not the lorapar command, so it cannot tell the nodes how to start lorapar; set executor.command");
        return [process, entry];
    }
}

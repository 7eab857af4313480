using System.Diagnostics;
using System.Reflection;
using LoraPar.Core;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Progress;

namespace LoraPar.Pipeline.Stages;

/// <summary>What a stage execution needs from its surroundings.</summary>
/// <param name="Progress">Progress bars.</param>
/// <param name="Log">Run-log lines.</param>
/// <param name="Cancellation">Ctrl-C.</param>
/// <param name="Announce">One line per stage started, for the console (null: none).</param>
public sealed record ExecutionEnvironment(IProgressReporter Progress, Action<string> Log, CancellationToken Cancellation,
    Action<string>? Announce = null);

/// <summary>
/// Computes one planned stage into its artifact: claim the key's lock, remove what killed attempts of the key left (staging
/// and set-aside folders; the partial-results folder too once the key is complete), re-check (another process may have finished it), run
/// the stage in a fresh temporary folder, digest its outputs, write stage.json last, and rename the folder into place. Any
/// failure or cancellation deletes the temporary folder, so no partial artifact ever looks complete; the key's partial-results
/// folder (<see cref="StageContext.PartialPath"/>) is kept for the next attempt, and deleted after the commit or when forced.
/// </summary>
public static class StageExecutor
{
    /// <summary>The lorapar version recorded in stage.json.</summary>
    public static string ToolVersion { get; } =
        typeof(StageExecutor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// Executes <paramref name="node"/>; returns its record, or null when another process completed it meanwhile. A
    /// cancellation surfaces as a <see cref="StageInterruptedException"/> naming the stage (and the step, where known).
    /// </summary>
    public static StageRecord? Execute(PlannedStage node, ArtifactStore store, ExecutionEnvironment env, bool force)
    {
        try
        {
            return Compute(node, store, env, force);
        }
        catch (OperationCanceledException e) when (e is not StageInterruptedException)
        {
            throw StageInterruptedException.Of(node.Kind, e);
        }
    }

    private static StageRecord? Compute(PlannedStage node, ArtifactStore store, ExecutionEnvironment env, bool force)
    {
        using var claim = KeyLock.Acquire(store.LockPathOf(node.Kind, node.Key), env.Cancellation, env.Log);
        var complete = !force && store.Check(node.Kind, node.Key).IsComplete;
        store.RemoveLeftovers(node.Kind, node.Key, partialToo: complete);
        if (complete) return null;
        var upstream = UpstreamDirectories(node, store);
        if (force) store.DiscardPartial(node.Kind, node.Key);
        var temporary = store.CreateTemporary(node.Kind, node.Key);
        try
        {
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            var context = new StageContext(node.Manifest, node.Key, temporary, upstream,
                node.Inputs.ToDictionary(i => i.Name, i => i.Path), env.Progress, env.Log, env.Cancellation,
                () => store.OpenPartial(node.Kind, node.Key));
            RunStage(node, context);
            var record = MakeRecord(node, store.DigestOutputs(temporary), started, clock.Elapsed.TotalSeconds) with { Kernels = TorchRuntime.EnsureInitialized().Kernels };
            record.Write(Path.Combine(temporary, ArtifactStore.RecordFileName));
            store.Commit(temporary, node.Kind, node.Key);
            store.DiscardPartial(node.Kind, node.Key);
            return record;
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>
    /// Removes the leftovers of killed attempts of a complete key (staging, set-aside and partial-results folders: a kill
    /// after the commit's rename and before the partial folder went), unless a live process holds the key.
    /// </summary>
    public static void Tidy(PlannedStage node, ArtifactStore store)
    {
        if (!Directory.Exists(store.PartialDirectoryOf(node.Kind, node.Key)) && !store.LeftoversOf(node.Kind, node.Key).Any()) return;
        using var claim = KeyLock.TryAcquire(store.LockPathOf(node.Kind, node.Key));
        if (claim is not null) store.RemoveLeftovers(node.Kind, node.Key, partialToo: true);
    }

    private static void RunStage(PlannedStage node, StageContext context)
    {
        // Stages touch TorchSharp in their first line (dispose scopes, devices): its native library must be loaded the way
        // TorchRuntime does before that, whichever stage happens to run first (with a checkpoint source it is not pretrain).
        TorchRuntime.EnsureInitialized();
        try
        {
            node.Stage.Execute(context);
        }
        catch (Exception e) when (e is not (LoraParException or OperationCanceledException))
        {
            context.Log($"stage {node.Kind} failed: {e}");
            throw new JobFailedException($"stage '{node.Kind}' failed: {e.Message}", e);
        }
    }

    private static Dictionary<string, string> UpstreamDirectories(PlannedStage node, ArtifactStore store)
    {
        var dirs = new Dictionary<string, string>();
        foreach (var upstream in node.Upstream)
        {
            var check = store.Check(upstream.Kind, upstream.Key);
            if (!check.IsComplete)
                throw new JobFailedException($"stage '{node.Kind}' needs '{upstream.Kind}' ({upstream.Key[..8]}), which is not complete "
                    + $"({check.Detail}); run it first ({CommandHint.Lorapar} run --stage {upstream.Kind} <manifest>)");
            dirs[upstream.Kind] = store.DirectoryOf(upstream.Kind, upstream.Key);
        }
        return dirs;
    }

    /// <summary>The record of a node (outputs empty when not yet computed).</summary>
    public static StageRecord MakeRecord(PlannedStage node, List<RecordedOutput> outputs, DateTimeOffset started, double seconds) => new()
    {
        Kind = node.Kind,
        Version = node.Stage.Version,
        Key = node.Key,
        ToolVersion = ToolVersion,
        Settings = (System.Text.Json.Nodes.JsonObject)node.Settings.DeepClone(),
        Upstream = node.UpstreamKeys.ToDictionary(),
        Inputs = node.Inputs.Select(i => new RecordedInput(i.Name, i.Path, i.Hash ?? "missing")).ToList(),
        Outputs = outputs,
        Started = started,
        Seconds = seconds,
        ComputedFor = $"{node.Manifest.Name}/{node.Variants[0].Name}",
    };
}

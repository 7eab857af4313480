using System.Diagnostics;
using LoraPar.Core;
using LoraPar.Pipeline.Progress;

namespace LoraPar.Pipeline.Stages;

/// <summary>What to run.</summary>
/// <param name="Force">Re-run this stage kind and everything downstream of it, even when complete.</param>
/// <param name="OnlyStage">Run only this stage kind (its upstream artifacts must be complete): one Slurm job's work.</param>
/// <param name="OnlyKey">With <paramref name="OnlyStage"/>: only its node whose key starts with this (one node of a sweep).</param>
public sealed record RunSelection(string? Force = null, string? OnlyStage = null, string? OnlyKey = null);

/// <summary>What a run did.</summary>
/// <param name="Executed">Nodes computed by this process, in order.</param>
/// <param name="Reused">Nodes whose complete artifact was used as is.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record RunSummary(IReadOnlyList<PlannedStage> Executed, IReadOnlyList<PlannedStage> Reused, double Seconds);

/// <summary>
/// Runs a plan: visits nodes in DAG order, skips complete ones, computes stale ones (missing, incomplete, corrupt, forced), and
/// records each run's pointers. Cancellation is honoured between stages and inside them; what finished stays cached.
/// </summary>
public static class PipelineRunner
{
    /// <summary>Runs <paramref name="plan"/> against <paramref name="store"/>: here, or as <paramref name="jobs"/> when given (except for <c>--stage</c>).</summary>
    public static RunSummary Run(PipelinePlan plan, ArtifactStore store, RunSelection selection, ExecutionEnvironment env, StageJobs? jobs = null)
    {
        if (jobs is not null && selection.OnlyStage is null) return jobs.Run(plan, store, selection, env);
        var clock = Stopwatch.StartNew();
        var forced = ForcedNodes(plan, selection.Force);
        var pointers = new RunPointers(store.RunsDirectory);
        var (executed, reused) = (new List<PlannedStage>(), new List<PlannedStage>());
        try
        {
            foreach (var node in SelectNodes(plan, selection))
            {
                env.Cancellation.ThrowIfCancellationRequested();
                RequireRunnable(node);
                var force = forced.Contains(node);
                if (Reuse(node, store, force, pointers))
                {
                    reused.Add(node);
                    continue;
                }
                var line = $"{node.Kind} {node.Key[..8]} ({VariantNames(node)}): {(force ? "forced" : store.Check(node.Kind, node.Key).Detail)}";
                env.Log(line);
                env.Announce?.Invoke(line);
                var record = StageExecutor.Execute(node, store, Labelled(env, plan, node), force);
                if (record is null) reused.Add(node);
                else executed.Add(node);
                WritePointers(pointers, node, record ?? store.ReadRecord(node.Kind, node.Key)!);
            }
        }
        finally
        {
            store.Hashes.Save();
        }
        return new RunSummary(executed, reused, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Whether <paramref name="node"/>'s complete artifact is used as is (not forced): then its leftovers are tidied and the
    /// run's pointers name it.
    /// </summary>
    internal static bool Reuse(PlannedStage node, ArtifactStore store, bool force, RunPointers pointers)
    {
        if (force || !store.Check(node.Kind, node.Key).IsComplete) return false;
        StageExecutor.Tidy(node, store);
        WritePointers(pointers, node, store.ReadRecord(node.Kind, node.Key)!);
        return true;
    }

    /// <summary>Fails naming the inputs of <paramref name="node"/> that are missing.</summary>
    internal static void RequireRunnable(PlannedStage node)
    {
        if (!node.Runnable)
            throw new BadInputException($"stage '{node.Kind}' cannot run: input {string.Join(", ", node.Inputs.Where(i => i.Hash is null).Select(i => i.Path))} not found");
    }

    /// <summary>The runs a node belongs to, for log lines.</summary>
    internal static string VariantNames(PlannedStage node) => string.Join(", ", node.Variants.Select(v => v.Name));

    /// <summary>The nodes <c>--force kind</c> re-runs: that kind's nodes and every node downstream of them.</summary>
    public static HashSet<PlannedStage> ForcedNodes(PipelinePlan plan, string? kind)
    {
        var forced = new HashSet<PlannedStage>();
        if (kind is null) return forced;
        RequireKind(plan, kind, "--force");
        foreach (var node in plan.Nodes)
            if (node.Kind == kind || node.Upstream.Any(forced.Contains)) forced.Add(node);
        return forced;
    }

    internal static IReadOnlyList<PlannedStage> SelectNodes(PipelinePlan plan, RunSelection selection)
    {
        if (selection.OnlyStage is { } only)
        {
            RequireKind(plan, only, "--stage");
            var chosen = plan.Nodes.Where(n => n.Kind == only && n.Key.StartsWith(selection.OnlyKey ?? "", StringComparison.Ordinal)).ToList();
            return chosen.Count > 0 ? chosen : throw new BadInputException($"--key {selection.OnlyKey}: no '{only}' stage of this plan has that key");
        }
        if (plan.Blocked.Count > 0)
        {
            var lines = plan.Blocked.Select(b => $"  {b.Kind} ({b.Variant}): {b.Reason}").Distinct();
            throw new JobFailedException("the manifest needs stages this build cannot run:\n" + string.Join('\n', lines));
        }
        return plan.Nodes;
    }

    private static void RequireKind(PipelinePlan plan, string kind, string option)
    {
        if (plan.Nodes.Any(n => n.Kind == kind)) return;
        var kinds = plan.Nodes.Select(n => n.Kind).Distinct().ToList();
        throw new BadInputException($"{option} {kind}: no stage '{kind}' in this manifest's plan{Manifest.DidYouMean.Hint(kind, kinds)} "
            + $"(stages: {string.Join(", ", kinds)})");
    }

    /// <summary>In a sweep, the stage's bars carry the name of the run (or runs) it belongs to.</summary>
    private static ExecutionEnvironment Labelled(ExecutionEnvironment env, PipelinePlan plan, PlannedStage node) =>
        plan.Variants.Count < 2 ? env
            : env with { Progress = new RunLabelledProgress(env.Progress, RunLabelledProgress.Of(node.Variants.Select(v => v.Name).ToList(), plan.Variants.Count)) };

    internal static void WritePointers(RunPointers pointers, PlannedStage node, StageRecord record)
    {
        foreach (var variant in node.Variants) pointers.Write(node.Manifest.Name, variant.Name, record);
    }
}

using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline;

/// <summary>Prints plans and statuses as aligned text (stable, so tests and logs can read it).</summary>
public static class PlanPrinter
{
    /// <summary>The plan of a dry run: per run, each stage with its key, whether it would run, and blocked stages.</summary>
    public static void Print(PipelinePlan plan, ArtifactStore store, TextWriter output)
    {
        output.WriteLine($"# plan: {"run".Plural(plan.Variants.Count)}, {plan.Nodes.Count} unique stages, artifacts in {store.Root}");
        var seen = new HashSet<PlannedStage>();
        foreach (var variant in plan.Variants)
        {
            output.WriteLine($"run {variant.Name}");
            foreach (var node in plan.NodesOf(variant.Name))
            {
                var state = !node.Runnable ? "needs input"
                    : store.Check(node.Kind, node.Key).IsComplete ? "fresh"
                    : seen.Contains(node) ? "shared" : "would run";
                seen.Add(node);
                output.WriteLine($"  {node.Kind,-9} {node.Key[..12]}  {state}{MissingInputs(node)}");
            }
            foreach (var blocked in plan.Blocked.Where(b => b.Variant == variant.Name))
                output.WriteLine($"  {blocked.Kind,-9} {"-",-12}  blocked: {blocked.Reason}");
        }
    }

    /// <summary>The status table: one line per stage of each run, with reasons for stale ones.</summary>
    public static void PrintStatus(PipelinePlan plan, IReadOnlyList<StageStatus> statuses, TextWriter output)
    {
        foreach (var group in statuses.GroupBy(s => s.Variant))
        {
            output.WriteLine($"run {group.Key}");
            foreach (var status in group)
            {
                output.WriteLine($"  {status.Kind,-9} {status.Key[..12]}  {(status.Fresh ? "fresh" : "stale")}");
                foreach (var reason in status.Reasons) output.WriteLine($"      - {reason}");
            }
            foreach (var blocked in plan.Blocked.Where(b => b.Variant == group.Key))
                output.WriteLine($"  {blocked.Kind,-9} {"-",-12}  blocked: {blocked.Reason}");
        }
        var stale = statuses.Count(s => !s.Fresh);
        output.WriteLine(stale == 0 ? "all stages fresh" : $"{stale} of {statuses.Count} stages stale");
    }

    private static string MissingInputs(PlannedStage node)
    {
        var missing = node.Inputs.Where(i => i.Hash is null).Select(i => i.Path).ToList();
        return missing.Count == 0 ? "" : $" (missing: {string.Join(", ", missing)})";
    }

    private static string Plural(this string noun, int count) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}

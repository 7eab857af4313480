using LoraPar.Core;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Planning;

/// <summary>
/// <c>run</c>'s look at the resource plan before the first GPU stage: on CUDA (or wherever <c>--device-memory</c> is given)
/// it prints each stage's predicted peak and verdict, and refuses to start when a stage that would run does not fit —
/// naming the setting that would make it fit — unless told to try anyway.
/// </summary>
public static class RunPlanCheck
{
    /// <summary>Prints the verdicts and throws <see cref="BadInputException"/> for a stale stage that does not fit (unless <paramref name="tryAnyway"/>).</summary>
    public static void Check(PipelinePlan dag, ArtifactStore store, PlanOptions options, string? onlyStage, bool tryAnyway, TextWriter output)
    {
        var m = dag.Manifest;
        var cuda = m.Device == Model.Runtime.DeviceChoice.Cuda || m.Device == Model.Runtime.DeviceChoice.Auto && TorchBuild.Cuda;
        if (!cuda && options.DeviceMemory is null) return;
        var plans = ResourcePlanner.Plan(dag, options);
        foreach (var plan in plans)
            foreach (var line in ResourcePlanText.Verdicts(plan)) output.WriteLine($"{line} ({string.Join(", ", plan.Runs)})");
        var stale = dag.Nodes.Where(n => (onlyStage is null || n.Kind == onlyStage) && !store.Check(n.Kind, n.Key).IsComplete)
            .SelectMany(n => n.Variants.Select(v => (v.Name, n.Kind))).ToHashSet();
        var refused = plans.SelectMany(p => p.Misfits.Where(s => p.Runs.Any(r => stale.Contains((r, s.Kind))))).DistinctBy(s => s.Kind).ToList();
        if (refused.Count == 0 || tryAnyway) return;
        throw new BadInputException(string.Join("\n", refused.Select(s =>
            $"stage {s.Kind} would need about {ByteSize.Format(s.Memory.Peak)}, more than the device's usable {ByteSize.Format(plans[0].Device.Usable!.Value)}; "
            + (s.Fix is { } fix ? $"set {fix}" : "use a larger device") + " (or run with --try-anyway; `lorapar plan` shows the breakdown)")));
    }
}

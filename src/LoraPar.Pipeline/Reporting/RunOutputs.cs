using LoraPar.Pipeline.Export;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Training;

namespace LoraPar.Pipeline.Reporting;

/// <summary>One file or folder a run produced, with what it is (e.g. "stage 1 adapter (sft)") and its name under <c>latest/</c>.</summary>
public sealed record RunOutput(string Label, string LinkName, string Path);

/// <summary>
/// What a run of the current plan has to show for itself, from its complete artifacts: its report, the adapter of each training
/// stage (in the recipe's order), its evaluation metrics and the folders it was last exported to (<see cref="ExportRecord"/>).
/// </summary>
public static class RunOutputs
{
    /// <summary>The outputs of <paramref name="variant"/> that exist now.</summary>
    public static IReadOnlyList<RunOutput> Of(PipelinePlan plan, ArtifactStore store, string variant)
    {
        var outputs = new List<RunOutput>();
        if (Complete(plan, store, variant, StageKinds.Report) is { } report)
            outputs.Add(new RunOutput("report", "report.md", Path.Combine(report, "report.md")));
        var method = plan.Variants.First(v => v.Name == variant).Manifest.Method;
        var order = new[] { StageOrder.First(method), StageOrder.Last(method) }.Distinct().ToList();
        for (var i = 0; i < order.Count; i++)
            if (Complete(plan, store, variant, order[i]) is { } trained)
                outputs.Add(new RunOutput($"stage {i + 1} adapter ({order[i]})", $"stage{i + 1}-adapter", Path.Combine(trained, AdapterState.AdapterFolder)));
        if (Complete(plan, store, variant, StageKinds.Eval) is { } eval)
            outputs.Add(new RunOutput("eval metrics", "metrics.json", Path.Combine(eval, MetricsFile.FileName)));
        var pointers = new RunPointers(store.RunsDirectory).DirectoryOf(plan.Manifest.Name, variant);
        outputs.AddRange(ExportRecord.Read(pointers).Select(e => new RunOutput(e.Label, e.Label.Replace(" ", "-"), e.Path)));
        return outputs;
    }

    private static string? Complete(PipelinePlan plan, ArtifactStore store, string variant, string kind) =>
        plan.Find(variant, kind) is { } node && store.Check(kind, node.Key).IsComplete ? store.DirectoryOf(kind, node.Key) : null;
}

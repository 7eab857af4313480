using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Reporting;

/// <summary>Collects each run's metrics: the union of the <c>metrics.json</c> files of its complete stage artifacts.</summary>
public static class RunResultsReader
{
    /// <summary>The results of every run of <paramref name="plan"/> (runs with no complete stage report no metrics).</summary>
    public static IReadOnlyList<RunResults> Read(PipelinePlan plan, ArtifactStore store) =>
        plan.Variants.Select(variant =>
        {
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var node in plan.NodesOf(variant.Name).Where(n => store.Check(n.Kind, n.Key).IsComplete))
                foreach (var (name, value) in MetricsFile.Read(Path.Combine(store.DirectoryOf(node.Kind, node.Key), MetricsFile.FileName)))
                    metrics[name] = value;
            return new RunResults(variant, metrics);
        }).ToList();
}

using System.Text;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The table of a sweep's runs, kept readable however many metrics the stages report: one row per run, whose columns are only
/// the settings that vary between the runs (<see cref="VariedSettings"/>) and the metrics that differ between them, split into
/// tables of at most <see cref="MetricsPerTable"/> metrics (each repeating the settings); metrics equal in every run are listed
/// once, below.
/// </summary>
public static class SweepTable
{
    /// <summary>The most metric columns one table holds.</summary>
    public const int MetricsPerTable = 6;

    /// <summary>Markdown for <paramref name="runs"/> (pure).</summary>
    public static string Render(IReadOnlyList<RunResults> runs)
    {
        var metrics = runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        if (metrics.Count == 0) return "No run has reported metrics yet.\n";
        var settings = VariedSettings.Of(runs);
        var (varying, same) = (metrics.Where(m => !IsSame(runs, m)).ToList(), metrics.Where(m => IsSame(runs, m)).ToList());
        var text = new StringBuilder();
        foreach (var chunk in varying.Chunk(MetricsPerTable))
        {
            var headers = settings.Paths.Select(settings.Header).DefaultIfEmpty("run").Concat(chunk).ToList();
            text.Append(MarkdownTable.Render(headers, runs.Select(r => (IReadOnlyList<string>)
                (settings.Paths.Count == 0 ? [r.Variant.Name] : settings.Paths.Select(p => VariedSettings.Value(r, p)))
                .Concat(chunk.Select(m => MarkdownTable.Number(r.Metrics.TryGetValue(m, out var v) ? v : null)))
                .ToList()))).AppendLine();
        }
        if (same.Count > 0)
        {
            text.AppendLine($"Equal in all {runs.Count} runs:").AppendLine();
            text.Append(MarkdownTable.Render(["metric", "value"], same.Select(m => (IReadOnlyList<string>)[m, MarkdownTable.Number(runs[0].Metrics[m])])));
        }
        return text.ToString();
    }

    /// <summary>Whether every run reported <paramref name="metric"/> with the same value (as printed).</summary>
    private static bool IsSame(IReadOnlyList<RunResults> runs, string metric) =>
        runs.All(r => r.Metrics.ContainsKey(metric)) && runs.Select(r => MarkdownTable.Number(r.Metrics[metric])).Distinct().Count() == 1;
}

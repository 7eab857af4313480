using System.Text;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// Two sets of results side by side — a manifest's current runs beside another manifest's, or beside a saved earlier run of the
/// same manifest (<see cref="RunHistory"/>) — run by run (runs paired by name) and metric by metric.
/// </summary>
public static class RunComparison
{
    /// <summary>Markdown: one table per run name present in either, rows = metrics, columns = ours / theirs / Δ.</summary>
    public static string Render(IReadOnlyList<RecordedRun> ours, IReadOnlyList<RecordedRun> theirs, string oursName, string theirsName)
    {
        var text = new StringBuilder();
        var names = ours.Select(r => r.Name).Concat(theirs.Select(r => r.Name)).Distinct();
        foreach (var name in names)
        {
            var a = ours.FirstOrDefault(r => r.Name == name)?.Metrics ?? new Dictionary<string, double>();
            var b = theirs.FirstOrDefault(r => r.Name == name)?.Metrics ?? new Dictionary<string, double>();
            text.Append("### run ").AppendLine(name).AppendLine();
            var metrics = a.Keys.Union(b.Keys).Order(StringComparer.Ordinal).ToList();
            if (metrics.Count == 0)
            {
                text.AppendLine("No metrics yet on either side.").AppendLine();
                continue;
            }
            var rows = metrics.Select(m => (IReadOnlyList<string>)[m,
                MarkdownTable.Number(a.TryGetValue(m, out var x) ? x : null),
                MarkdownTable.Number(b.TryGetValue(m, out var y) ? y : null),
                MarkdownTable.Delta(a.TryGetValue(m, out var x2) ? x2 : null, b.TryGetValue(m, out var y2) ? y2 : null)]);
            text.Append(MarkdownTable.Render(["metric", oursName, theirsName, "Δ"], rows)).AppendLine();
        }
        return text.ToString();
    }
}

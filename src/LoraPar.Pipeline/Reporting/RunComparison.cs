using System.Text;

namespace LoraPar.Pipeline.Reporting;

/// <summary>Two manifests' results side by side, run by run (runs paired by name) and metric by metric.</summary>
public static class RunComparison
{
    /// <summary>Markdown: one table per run name present in either, rows = metrics, columns = ours / theirs / Δ.</summary>
    public static string Render(IReadOnlyList<RunResults> ours, IReadOnlyList<RunResults> theirs, string oursName, string theirsName)
    {
        var text = new StringBuilder();
        var names = ours.Select(r => r.Variant.Name).Concat(theirs.Select(r => r.Variant.Name)).Distinct();
        foreach (var name in names)
        {
            var a = ours.FirstOrDefault(r => r.Variant.Name == name)?.Metrics ?? new Dictionary<string, double>();
            var b = theirs.FirstOrDefault(r => r.Variant.Name == name)?.Metrics ?? new Dictionary<string, double>();
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

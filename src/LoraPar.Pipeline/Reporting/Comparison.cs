using System.Text;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Sweeps;

namespace LoraPar.Pipeline.Reporting;

/// <summary>A run's manifest and the metrics its stages reported.</summary>
public sealed record RunResults(RunVariant Variant, IReadOnlyDictionary<string, double> Metrics);

/// <summary>One cell of a comparison: the column's metric, the paper's number, ours (null when no run matches or the metric is absent), which run.</summary>
public sealed record ComparisonCell(string Table, string Row, string Column, string Metric, double? Paper, double? Ours, string? Run);

/// <summary>Puts our runs beside a baseline file's tables, cell by cell, with differences.</summary>
public static class Comparison
{
    /// <summary>
    /// Every cell of the selected tables (all when <paramref name="tables"/> is empty): the paper's value and, when a run matches
    /// fixed ∪ row ∪ column values and reported the column's metric, ours.
    /// </summary>
    public static IReadOnlyList<ComparisonCell> Build(BaselineFile baseline, IReadOnlyList<string> tables, IReadOnlyList<RunResults> runs)
    {
        var cells = new List<ComparisonCell>();
        foreach (var table in Selected(baseline, tables))
        {
            foreach (var row in table.Rows)
            {
                foreach (var column in table.Columns)
                {
                    var match = table.Fixed.Concat(row.Match).Concat(column.Match).GroupBy(kv => kv.Key).Select(g => g.Last()).ToList();
                    var metric = AtPoint(column.Metric, row.Point);
                    var run = metric is null ? null : runs.FirstOrDefault(r => RunMatcher.Matches(r.Variant.Manifest, match) && r.Metrics.ContainsKey(metric));
                    cells.Add(new ComparisonCell(table.Name, row.Label, column.Key, metric ?? column.Metric,
                        row.Values.TryGetValue(column.Key, out var p) ? p : null, run?.Metrics[metric!], run?.Variant.Name));
                }
            }
        }
        return cells;
    }

    /// <summary>
    /// The column's metric read at a row's eval point: <c>gsm8k_accuracy_stage1</c> at <c>base</c> is <c>gsm8k_accuracy_base</c>;
    /// null when the metric belongs to no eval point (e.g. <c>active_percent</c>), so the row has no such cell.
    /// </summary>
    public static string? AtPoint(string metric, EvalPoint? point)
    {
        if (point is not { } p) return metric;
        var cut = metric.LastIndexOf('_');
        var suffix = cut < 0 ? "" : metric[(cut + 1)..];
        return suffix is "base" or "stage1" or "stage2" ? $"{metric[..cut]}_{p.ToString().ToLowerInvariant()}" : null;
    }

    /// <summary>Markdown: one table per baseline table, each column as "paper / ours / Δ" ([meta] column = "pinned" renames "paper").</summary>
    public static string Render(BaselineFile baseline, IReadOnlyList<string> tables, IReadOnlyList<ComparisonCell> cells)
    {
        var text = new StringBuilder();
        foreach (var table in Selected(baseline, tables))
        {
            text.Append("### ").Append(table.Name).Append(": ").AppendLine(table.Title).AppendLine();
            var headers = new List<string> { "" };
            var source = baseline.Meta.TryGetValue("column", out var label) ? label : "paper";
            foreach (var column in table.Columns) headers.AddRange([$"{column.Header} ({source})", "ours", "Δ"]);
            var rows = table.Rows.Select(row =>
            {
                var line = new List<string> { row.Label };
                foreach (var column in table.Columns)
                {
                    var cell = cells.First(c => c.Table == table.Name && c.Row == row.Label && c.Column == column.Key);
                    line.AddRange([MarkdownTable.Number(cell.Paper), MarkdownTable.Number(cell.Ours), MarkdownTable.Delta(cell.Ours, cell.Paper)]);
                }
                return (IReadOnlyList<string>)line;
            });
            text.Append(MarkdownTable.Render(headers, rows)).AppendLine();
            if (table.Caption.Length > 0) text.AppendLine(table.Caption).AppendLine();
        }
        var matched = cells.Count(c => c.Ours is not null);
        text.AppendLine($"{matched} of {cells.Count} cells have a result of ours.");
        return text.ToString();
    }

    /// <summary>
    /// Markdown, narrow: one table per baseline table with one row per cell (row, column, paper, ours, Δ), so a table of any
    /// number of columns fits a terminal ([meta] column = "pinned" renames "paper").
    /// </summary>
    public static string RenderNarrow(BaselineFile baseline, IReadOnlyList<string> tables, IReadOnlyList<ComparisonCell> cells)
    {
        var text = new StringBuilder();
        var source = baseline.Meta.TryGetValue("column", out var label) ? label : "paper";
        foreach (var table in Selected(baseline, tables))
        {
            text.Append("### ").Append(table.Name).Append(": ").AppendLine(table.Title).AppendLine();
            var rows = table.Rows.SelectMany(row => table.Columns.Select(column =>
            {
                var cell = cells.First(c => c.Table == table.Name && c.Row == row.Label && c.Column == column.Key);
                return (IReadOnlyList<string>)[row.Label, column.Header, MarkdownTable.Number(cell.Paper), MarkdownTable.Number(cell.Ours),
                    MarkdownTable.Delta(cell.Ours, cell.Paper)];
            }));
            text.Append(MarkdownTable.Render(["row", "column", source, "ours", "Δ"], rows)).AppendLine();
            if (table.Caption.Length > 0) text.AppendLine(table.Caption).AppendLine();
        }
        text.AppendLine($"{cells.Count(c => c.Ours is not null)} of {cells.Count} cells have a result of ours.");
        return text.ToString();
    }

    private static IEnumerable<BaselineTable> Selected(BaselineFile baseline, IReadOnlyList<string> tables) =>
        tables.Count == 0 ? baseline.Tables : baseline.Tables.Where(t => tables.Contains(t.Name));
}

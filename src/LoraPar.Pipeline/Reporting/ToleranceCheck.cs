using System.Text;
using LoraPar.Core;

namespace LoraPar.Pipeline.Reporting;

/// <summary>A compared cell whose |ours − pinned| exceeds its tolerance.</summary>
/// <param name="Table">The baseline table.</param>
/// <param name="Row">The row label.</param>
/// <param name="Column">The column header.</param>
/// <param name="Ours">Our value.</param>
/// <param name="Pinned">The baseline's value.</param>
/// <param name="Tolerance">The rule that applied.</param>
public sealed record ToleranceBreach(string Table, string Row, string Column, double Ours, double Pinned, MetricTolerance Tolerance)
{
    /// <summary>ours − pinned.</summary>
    public double Delta => Ours - Pinned;
}

/// <summary>The outcome of holding a run to a baseline's tolerances.</summary>
/// <param name="Checked">Cells compared (every cell with a pinned value).</param>
/// <param name="Breaches">The cells outside their tolerance.</param>
public sealed record ToleranceCheckResult(int Checked, IReadOnlyList<ToleranceBreach> Breaches)
{
    /// <summary>Whether every cell is within its tolerance.</summary>
    public bool Passed => Breaches.Count == 0;
}

/// <summary>
/// <c>lorapar compare --check</c>: every cell with a pinned value must have a result of ours within the tolerance the baseline's
/// <c>[tolerances]</c> gives its metric. A baseline without tolerances, a cell without a result of ours, or a metric no rule
/// covers is bad input (the check could not be made); a cell outside its tolerance is a failed check.
/// </summary>
public static class ToleranceCheck
{
    /// <summary>Rounding slack, so that a difference equal to the tolerance in decimal counts as within it.</summary>
    private const double Slack = 1e-9;

    /// <summary>Checks <paramref name="cells"/> (from <see cref="Comparison.Build"/>) against <paramref name="baseline"/>'s tolerances.</summary>
    public static ToleranceCheckResult Run(BaselineFile baseline, IReadOnlyList<ComparisonCell> cells)
    {
        if (baseline.Tolerances.IsEmpty)
            throw new BadInputException($"{baseline.Path}: no [{BaselineFile.TolerancesTable}] table, so --check has nothing to hold the run to; "
                + $"add one, e.g. [{BaselineFile.TolerancesTable}] \"*accuracy*\" = 5.0");
        var pinned = cells.Where(c => c.Paper is not null).ToList();
        if (pinned.Count == 0) throw new BadInputException($"{baseline.Path}: the selected tables pin no value to check");
        var problems = new List<string>();
        foreach (var cell in pinned.Where(c => c.Ours is null))
            problems.Add($"{Where(baseline, cell)}: no result of ours for metric '{cell.Metric}'");
        foreach (var metric in pinned.Select(c => c.Metric).Distinct().Where(m => baseline.Tolerances.For(m) is null))
            problems.Add($"metric '{metric}': no rule of [{BaselineFile.TolerancesTable}] covers it");
        if (problems.Count > 0)
            throw new BadInputException($"cannot check against {baseline.Path} ({problems.Count} problems):\n  " + string.Join("\n  ", problems)
                + $"\nrun the manifest first ('{CommandHint.Lorapar} run <manifest>'), or add the missing tolerances");
        var breaches = pinned
            .Select(c => (Cell: c, Rule: baseline.Tolerances.For(c.Metric)!))
            .Where(x => Math.Abs(x.Cell.Ours!.Value - x.Cell.Paper!.Value) > x.Rule.Tolerance + Slack)
            .Select(x => new ToleranceBreach(x.Cell.Table, x.Cell.Row, Header(baseline, x.Cell), x.Cell.Ours!.Value, x.Cell.Paper!.Value, x.Rule))
            .ToList();
        return new ToleranceCheckResult(pinned.Count, breaches);
    }

    /// <summary>Markdown: a one-line verdict and, when cells are outside, a table of them.</summary>
    public static string Render(ToleranceCheckResult result)
    {
        var text = new StringBuilder("## Tolerance check\n\n");
        if (result.Passed) return text.AppendLine($"All {result.Checked} pinned cells are within tolerance.").ToString();
        text.AppendLine($"{result.Breaches.Count} of {result.Checked} pinned cells are outside their tolerance:").AppendLine();
        text.Append(MarkdownTable.Render(["table", "row", "column", "ours", "pinned", "Δ", "tolerance"], result.Breaches.Select(b =>
            (IReadOnlyList<string>)[b.Table, b.Row, b.Column, MarkdownTable.Number(b.Ours), MarkdownTable.Number(b.Pinned),
                MarkdownTable.Delta(b.Ours, b.Pinned), "±" + MarkdownTable.Number(b.Tolerance.Tolerance) + $" ({b.Tolerance.Pattern})"])));
        return text.ToString();
    }

    private static string Where(BaselineFile baseline, ComparisonCell cell) => $"{cell.Table} / {cell.Row} / {Header(baseline, cell)}";

    private static string Header(BaselineFile baseline, ComparisonCell cell) =>
        baseline.Tables.First(t => t.Name == cell.Table).Columns.First(c => c.Key == cell.Column).Header;
}

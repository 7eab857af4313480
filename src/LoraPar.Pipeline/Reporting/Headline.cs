using System.Globalization;
using System.Text;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The headline of one run, as the README's per-arm table puts it: the share of LoRA elements each stage trained, then each
/// answer set's accuracy at base → stage 1 → stage 2 with the questions gained and lost at each step and McNemar's exact p of
/// that split. Read from the run's metrics alone (<c>stage{n}_active_percent</c>, <c>{set}_accuracy_{point}</c>,
/// <c>{set}_gained_{point}</c>, <c>{set}_lost_{point}</c>, <c>{set}_change_p_{point}</c>), so a saved run renders as a live one.
/// Plain text stays within 80 columns; <see cref="Markdown"/> is the same table for report.md.
/// </summary>
public static class Headline
{
    /// <summary>The answer sets and other benchmarks, with their labels and accuracy metric stems, in the order shown.</summary>
    private static readonly (string Label, string Stem, bool Paired)[] Sets =
    [
        ("System 1", "synthetic_s1_accuracy", true),
        ("System 2", "synthetic_s2_accuracy", true),
        ("GSM8K", "gsm8k_accuracy", true),
        ("MMLU", "mmlu_accuracy", false),
        ("HumanEval pass@1", "humaneval_pass1", false),
        ("Own held-out", "own_accuracy", true),
    ];

    private static readonly string[] Points = ["base", "stage1", "stage2"];

    /// <summary>The lines of the plain-text headline of one run (empty when it has no active shares and no accuracy yet).</summary>
    public static IReadOnlyList<string> Lines(IReadOnlyDictionary<string, double> metrics)
    {
        var lines = new List<string>();
        if (Active(metrics) is { } active) lines.Add($"LoRA elements trained: {active}");
        var rows = Rows(metrics);
        if (rows.Count == 0) return lines;
        var width = rows.Select(r => r.Change[0].Length).Append("stage 1 +/−".Length).Max();
        lines.Add($"{"answers correct",-16} {"base",6} {"stage 1",7} {"stage 2",7}  {"stage 1 +/−".PadRight(width)}  stage 2 +/−");
        foreach (var row in rows)
            lines.Add($"{row.Label,-16} {row.Accuracy[0],6} {row.Accuracy[1],7} {row.Accuracy[2],7}  {row.Change[0].PadRight(width)}  {row.Change[1]}".TrimEnd());
        return lines;
    }

    /// <summary>The headline as Markdown: the active shares as a sentence, then one table row per answer set.</summary>
    public static string Markdown(IReadOnlyDictionary<string, double> metrics)
    {
        var text = new StringBuilder();
        if (Active(metrics) is { } active) text.Append("LoRA elements trained: ").Append(active).Append(".\n\n");
        var rows = Rows(metrics);
        if (rows.Count > 0)
            text.Append(MarkdownTable.Render(["answers correct", "base", "stage 1", "stage 2", "stage 1: gained / lost (p)", "stage 2: gained / lost (p)"],
                rows.Select(r => (IReadOnlyList<string>)[r.Label, .. r.Accuracy, .. r.Change])));
        return text.ToString();
    }

    /// <summary>The label of an answer set (<c>synthetic_s2</c> → "System 2"); the set's own name when it has none.</summary>
    public static string Label(string set) =>
        Sets.FirstOrDefault(s => s.Stem.StartsWith(set + "_", StringComparison.Ordinal)).Label ?? set;

    /// <summary>"stage 1 40.6%, stage 2 38.7%", or null without the masks stage's shares.</summary>
    private static string? Active(IReadOnlyDictionary<string, double> metrics)
    {
        var parts = new[] { 1, 2 }.Where(n => metrics.ContainsKey($"stage{n}_active_percent"))
            .Select(n => $"stage {n} {Percent(metrics[$"stage{n}_active_percent"])}").ToList();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private sealed record Row(string Label, string[] Accuracy, string[] Change);

    private static List<Row> Rows(IReadOnlyDictionary<string, double> metrics)
    {
        var rows = new List<Row>();
        foreach (var (label, stem, paired) in Sets)
        {
            var accuracy = Points.Select(p => metrics.TryGetValue($"{stem}_{p}", out var v) ? Percent(v) : "—").ToArray();
            if (accuracy.All(a => a == "—")) continue;
            var set = stem[..^"_accuracy".Length];
            var change = Points[1..].Select(p => paired ? Change(metrics, set, p) : "").ToArray();
            rows.Add(new Row(label, accuracy, change));
        }
        return rows;
    }

    /// <summary>"+6 / −0 (p 0.031)" for a step, or "—" when it was not measured.</summary>
    private static string Change(IReadOnlyDictionary<string, double> metrics, string set, string point) =>
        metrics.TryGetValue($"{set}_gained_{point}", out var gained) && metrics.TryGetValue($"{set}_lost_{point}", out var lost)
            ? Invariant($"+{gained:0} / −{lost:0}") + (metrics.TryGetValue($"{set}_change_p_{point}", out var p) ? $" (p {PValue(p)})" : "")
            : "—";

    /// <summary>A percentage with one decimal and its unit, e.g. "40.6%".</summary>
    public static string Percent(double value) => double.IsFinite(value) ? Invariant($"{value:0.0}%") : "—";

    /// <summary>A p-value to three decimals ("&lt; 0.001" below that).</summary>
    public static string PValue(double p) => p < 0.001 ? "< 0.001" : Invariant($"{p:0.000}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

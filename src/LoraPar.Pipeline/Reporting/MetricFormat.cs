using System.Globalization;
using System.Text;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// How a metric reads in a report: counts as integers (<c>25,490</c>), shares in percent with one decimal (<c>43.2%</c>; the GRPO
/// rollout accuracies, kept as fractions in metrics.json, are shown ×100), p-values to three decimals, and the unit named
/// beside each value.
/// </summary>
public static class MetricFormat
{
    /// <summary>The value as shown.</summary>
    public static string Value(string name, double value)
    {
        if (!double.IsFinite(value)) return "—";
        return KindOf(name) switch
        {
            Kind.Percent => Headline.Percent(value),
            Kind.Fraction => Headline.Percent(100 * value),
            Kind.PValue => Headline.PValue(value),
            Kind.Kappa => value.ToString("0.000", CultureInfo.InvariantCulture),
            _ when value == Math.Round(value) && Math.Abs(value) < 1e15 => value.ToString("N0", CultureInfo.InvariantCulture),
            _ => value.ToString("0.0000", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The unit of a metric in words.</summary>
    public static string Unit(string name) => KindOf(name) switch
    {
        Kind.Percent or Kind.Fraction when name.Contains("active") => "% of LoRA elements",
        Kind.Percent or Kind.Fraction when name.StartsWith("labels_", StringComparison.Ordinal) => "% of questions",
        Kind.Percent => "% of questions",
        Kind.Fraction => "% of rollouts",
        Kind.PValue => "McNemar's exact p",
        Kind.Kappa => "Fleiss' κ",
        _ when name.Contains("loss") => "nats per token",
        _ when name.Contains("reward") => "reward points",
        _ when name.Contains("gained") || name.Contains("lost") => "questions",
        _ when name.Contains("elements") => "LoRA elements",
        _ when name.Contains("steps") => "optimizer steps",
        _ when name.Contains("examples") || name.EndsWith("_d1", StringComparison.Ordinal) || name.EndsWith("_d2", StringComparison.Ordinal) => "examples",
        _ => "",
    };

    /// <summary>
    /// The range a metric can take by its kind, for colour scales: percentages 0–100, fractions and p-values 0–1, Fleiss' κ
    /// −1–1; null for counts, losses and other unbounded figures.
    /// </summary>
    public static (double Low, double High)? Bounds(string name) => KindOf(name) switch
    {
        Kind.Percent => (0, 100),
        Kind.Fraction or Kind.PValue => (0, 1),
        Kind.Kappa => (-1, 1),
        _ => null,
    };

    /// <summary>A Markdown table of <paramref name="metrics"/> (name, value, unit) in name order.</summary>
    public static string Table(IReadOnlyDictionary<string, double> metrics) =>
        MarkdownTable.Render(["metric", "value", "unit"], metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (IReadOnlyList<string>)[kv.Key, Value(kv.Key, kv.Value), Unit(kv.Key)]));

    /// <summary>"## All metrics" with one table per stage (stages without metrics left out).</summary>
    public static string Sections(IReadOnlyList<(string Title, IReadOnlyDictionary<string, double> Metrics)> stages)
    {
        var text = new StringBuilder("## All metrics\n\n");
        if (stages.All(s => s.Metrics.Count == 0)) return text.Append("The stages reported no metrics.\n\n").ToString();
        foreach (var (title, metrics) in stages.Where(s => s.Metrics.Count > 0))
            text.Append("### ").Append(title).Append("\n\n").Append(Table(metrics)).Append('\n');
        return text.ToString();
    }

    private enum Kind { Plain, Percent, Fraction, PValue, Kappa }

    private static Kind KindOf(string name) => name switch
    {
        _ when name.Contains("_change_p_") => Kind.PValue,
        _ when name.StartsWith("rl_accuracy_", StringComparison.Ordinal) => Kind.Fraction,
        _ when name.Contains("kappa") => Kind.Kappa,
        _ when name.EndsWith("_percent", StringComparison.Ordinal) || name.Contains("accuracy") || name.Contains("_macro_")
               || name.StartsWith("humaneval_pass", StringComparison.Ordinal) => Kind.Percent,
        _ => Kind.Plain,
    };
}

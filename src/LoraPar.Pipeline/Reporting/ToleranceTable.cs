using System.Globalization;
using System.Text.RegularExpressions;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The largest |ours − pinned| a re-run may show for the metrics <see cref="Pattern"/> names: a metric name, or a pattern where
/// <c>*</c> stands for any characters (e.g. <c>synthetic_*_accuracy_*</c>).
/// </summary>
public sealed record MetricTolerance(string Pattern, double Tolerance)
{
    private readonly Regex _regex = new("^" + string.Join(".*", Pattern.Split('*').Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant);

    /// <summary>How specific the pattern is: its number of literal characters (an exact name beats any wildcard pattern).</summary>
    public int Specificity => Pattern.Count(c => c != '*') + (Pattern.Contains('*') ? 0 : 1_000);

    /// <summary>Whether the pattern names <paramref name="metric"/>.</summary>
    public bool Matches(string metric) => _regex.IsMatch(metric);

    /// <inheritdoc />
    public override string ToString() => $"{Pattern} ±{Tolerance.ToString("0.###", CultureInfo.InvariantCulture)}";
}

/// <summary>
/// A baseline file's <c>[tolerances]</c> table: metric name or pattern → allowed |Δ|. The most specific matching rule wins
/// (an exact name, else the pattern with the most literal characters); <c>lorapar compare --check</c> holds each cell to it.
/// </summary>
public sealed record ToleranceTable(IReadOnlyList<MetricTolerance> Rules)
{
    /// <summary>A baseline without tolerances.</summary>
    public static ToleranceTable None { get; } = new([]);

    /// <summary>Whether no rule is set.</summary>
    public bool IsEmpty => Rules.Count == 0;

    /// <summary>The rule that applies to <paramref name="metric"/>, or null when none names it.</summary>
    public MetricTolerance? For(string metric) =>
        Rules.Where(r => r.Matches(metric)).OrderByDescending(r => r.Specificity).ThenBy(r => r.Pattern, StringComparer.Ordinal).FirstOrDefault();
}

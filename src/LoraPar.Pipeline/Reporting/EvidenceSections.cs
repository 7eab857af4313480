using System.Globalization;
using System.Text;
using System.Text.Json;
using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The report's evidence on the partition itself (issue 24): "## Importance estimators" — which estimator chose the masks, how
/// many elements the second-order term moves across the θ cut, and the estimators' Spearman agreement — and "## Mask robustness"
/// with its figures when the run asked for it.
/// </summary>
public static class EvidenceSections
{
    /// <summary>The estimator section from the scores stage's <c>estimators.json</c> and the masks stage's metrics; empty without them.</summary>
    public static string Estimators(string scoresDirectory, IReadOnlyDictionary<string, double> masksMetrics, ImportanceEstimator estimator)
    {
        var path = Path.Combine(scoresDirectory, EstimatorAgreement.FileName);
        if (!File.Exists(path) || !masksMetrics.ContainsKey("cut_crossings_s1")) return "";
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var text = new StringBuilder("## Importance estimators\n\n");
        text.Append(Invariant($"The masks were chosen by `{KebabCase.From(estimator.ToString())}`, at the per-tensor counts of the paper's θ cut. "))
            .Append(Invariant($"Against first-order |gφ| at the same counts, the second-order term moves {masksMetrics["cut_crossings_s1"]:N0} elements "))
            .Append(Invariant($"({masksMetrics["cut_crossings_s1_percent"]:0.##}% of S1) and {masksMetrics["cut_crossings_s2"]:N0} ({masksMetrics["cut_crossings_s2_percent"]:0.##}% of S2) across the cut.\n\n"));
        var pooled = json.RootElement.GetProperty("pooled").EnumerateArray().Where(p => p.GetProperty("first").GetString() == "second-order").ToList();
        var tensors = json.RootElement.GetProperty("per_tensor").EnumerateArray().ToList();
        var rows = pooled.GroupBy(p => p.GetProperty("second").GetString()!).Select(g => (IReadOnlyList<string>)
        [
            g.Key, .. new[] { "s1", "s2" }.SelectMany(system => new[]
            {
                Rho(g.Single(p => p.GetProperty("system").GetString() == system).GetProperty("spearman")),
                Median(tensors.Where(t => t.GetProperty("system").GetString() == system && t.GetProperty("estimator").GetString() == g.Key)
                    .Select(t => t.GetProperty("spearman"))),
            }),
        ]);
        text.Append("Spearman ρ with the second-order score (pooled over all LoRA elements; median over LoRA tensors):\n\n")
            .Append(MarkdownTable.Render(["estimator", "System 1 pooled", "System 1 per-tensor median", "System 2 pooled", "System 2 per-tensor median"], rows));
        return text.Append('\n').ToString();
    }

    /// <summary>The robustness section from <c>robustness.json</c>, figures copied into <paramref name="reportDirectory"/>; empty without it.</summary>
    public static string Robustness(string masksDirectory, string? reportDirectory)
    {
        var path = Path.Combine(masksDirectory, MaskRobustnessReport.FileName);
        if (!File.Exists(path)) return "";
        var report = MaskRobustnessReport.Read(path);
        var text = new StringBuilder("## Mask robustness\n\n");
        var headers = new[] { "S1", "S2", "stage 1", "stage 2" };
        if (report.Thetas.Count > 0)
        {
            text.Append(Invariant($"Jaccard of each mask from {report.Resamples} bootstrap resamples of the scored examples with the full sample's "))
                .Append("(mean [95% percentile interval]); last column: the full sample's S1 at this θ against its S1 at the run's θ.\n\n")
                .Append(MarkdownTable.Render(["θ", .. headers, "S1 vs run's θ"], report.Thetas.Select(t => (IReadOnlyList<string>)
                    [Invariant($"{t.Theta}"), .. MaskRobustnessReport.SetNames.Select(s => Span(t.Bootstrap[s])), MarkdownTable.Number(t.VersusRunTheta["s1"], 3)])))
                .Append("\nMasks from the first k scored examples of each system against the full sample's:\n\n")
                .Append(MarkdownTable.Render(["k", .. headers], report.Prefixes.Select(p => (IReadOnlyList<string>)
                    [Invariant($"{p.Examples}"), .. MaskRobustnessReport.SetNames.Select(s => MarkdownTable.Number(p.Jaccard[s], 3))])))
                .Append(report.StableExamples is { } n
                    ? Invariant($"\nThe masks stop changing (every Jaccard ≥ {report.Threshold} from then on) at {n} scored examples per system.\n")
                    : Invariant($"\nThe masks do not settle (Jaccard ≥ {report.Threshold} for every set) before the full sample.\n"));
        }
        if (report.Seeds is { } seeds)
            text.Append(Invariant($"\nAcross LoRA-init seeds {string.Join(", ", seeds.Seeds)} (same scored examples) against the run's seed, "))
                .Append("mean Jaccard [95% bootstrap interval over seeds]:\n\n")
                .Append(MarkdownTable.Render(headers, [MaskRobustnessReport.SetNames.Select(s => Span(seeds.Jaccard[s])).ToList()]));
        if (reportDirectory is not null)
            foreach (var (file, caption) in new[] { (MaskRobustnessPlot.ThetaFileName, "Bootstrap mask overlap against θ"), (MaskRobustnessPlot.ExamplesFileName, "Mask overlap against the number of scored examples") })
            {
                var source = Path.Combine(masksDirectory, file);
                if (!File.Exists(source)) continue;
                File.Copy(source, Path.Combine(reportDirectory, file), overwrite: true);
                text.Append($"\n![{caption}]({file})\n");
            }
        return text.Append('\n').ToString();
    }

    private static string Span(Interval i) => Invariant($"{i.Mean:F3} [{i.Low:F3}, {i.High:F3}]");

    private static string Rho(JsonElement value) => value.ValueKind == JsonValueKind.Number ? Invariant($"{value.GetDouble():F3}") : "–";

    private static string Median(IEnumerable<JsonElement> values)
    {
        var sorted = values.Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).Order().ToList();
        return sorted.Count == 0 ? "–" : Invariant($"{PercentileInterval.Quantile(sorted, 0.5):F3}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

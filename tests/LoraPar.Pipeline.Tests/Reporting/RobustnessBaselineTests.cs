using System.Text.RegularExpressions;
using LoraPar.Evaluation.Metrics;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Sweeps;
using LoraPar.Pipeline.Tests.Regression;

namespace LoraPar.Pipeline.Tests.Reporting;

/// <summary>
/// The pinned robustness verdicts (baselines/robustness.toml, baselines/robustness-estimators.toml, baselines/robustness-bases.toml) are consistent with the schema
/// <c>lorapar compare --check</c> reads them in: every row matches runs of its manifest, every metric is one the code reports and has
/// a tolerance, and the pinned numbers agree with one another (interval around the mean, the pooled p of the pinned counts, the
/// verdict of that p). The experiments themselves are not run here (30 minutes); `compare --check` after a run holds them to the pins.
/// </summary>
public sealed partial class RobustnessBaselineTests
{
    [GeneratedRegex(@"^(replicate_seeds|replicate_synthetic_s[12]_accuracy_(mean|ci_lower|ci_upper)|pooled_synthetic_s[12]_(only_ours|only_control|p|verdict)_vs_(random|full)"
                    + @"|spearman_(first_order|fisher|gradient|magnitude|random)_s[12]|cut_crossings_s[12])$")]
    private static partial Regex ReportedMetric();

    private static string Root(string relative) => Path.Combine(CiRun.RepositoryRoot(), relative);

    private static IReadOnlyList<RunVariant> Variants(string manifest) => SweepExpansion.Expand(
        ManifestLoader.Load(Root(manifest), new ManifestLoadOptions(CiRun.RepositoryRoot(), PathCheckMode.Warnings, _ => null)).Manifest);

    [Theory]
    [InlineData("baselines/robustness.toml", "experiments/robustness.toml", 5)]
    [InlineData("baselines/robustness-estimators.toml", "experiments/robustness-estimators.toml", 3)]
    [InlineData("baselines/robustness-bases.toml", "experiments/robustness-bases.toml", 5)]
    public void The_pins_match_runs_of_their_manifest_and_metrics_the_code_reports_each_with_a_tolerance(string baseline, string manifest, int seeds)
    {
        var file = BaselineFile.Load(Root(baseline));
        var variants = Variants(manifest);
        Assert.NotEmpty(file.Tables);
        foreach (var table in file.Tables)
            foreach (var row in table.Rows)
            {
                var match = table.Fixed.Concat(row.Match).ToList();
                Assert.True(variants.Any(v => RunMatcher.Matches(v.Manifest, match)), $"{table.Name} / {row.Label}: no run of {manifest} matches");
                foreach (var column in table.Columns.Where(c => row.Values.ContainsKey(c.Key)))
                {
                    Assert.Matches(ReportedMetric(), column.Metric);
                    Assert.NotNull(file.Tolerances.For(column.Metric));
                }
                var values = table.Columns.Where(c => row.Values.ContainsKey(c.Key)).ToDictionary(c => c.Metric, c => row.Values[c.Key]);
                Consistent(values, seeds, $"{table.Name} / {row.Label}");
            }
    }

    /// <summary>The pinned numbers of one row agree with one another.</summary>
    private static void Consistent(IReadOnlyDictionary<string, double> pins, int seeds, string where)
    {
        if (pins.TryGetValue("replicate_seeds", out var n)) Assert.Equal(seeds, n);
        foreach (var set in new[] { "synthetic_s1", "synthetic_s2" })
        {
            if (pins.TryGetValue($"replicate_{set}_accuracy_mean", out var mean))
            {
                Assert.InRange(mean, pins[$"replicate_{set}_accuracy_ci_lower"], pins[$"replicate_{set}_accuracy_ci_upper"]);
                Assert.InRange(mean, 0, 100);
            }
            foreach (var control in new[] { "random", "full" })
            {
                if (!pins.TryGetValue($"pooled_{set}_only_ours_vs_{control}", out var ours)) continue;
                var theirs = pins[$"pooled_{set}_only_control_vs_{control}"];
                Assert.True(ours == Math.Floor(ours) && theirs == Math.Floor(theirs) && ours >= 0 && theirs >= 0, where);
                var test = StratifiedMcNemar.Of([new PairedChange((int)ours, (int)theirs, 0)]);
                Assert.Equal(test.PValue, pins[$"pooled_{set}_p_vs_{control}"], 3);
                Assert.Equal(ReplicateMetrics.VerdictCode(test), pins[$"pooled_{set}_verdict_vs_{control}"]);
            }
        }
        foreach (var (metric, value) in pins.Where(p => p.Key.StartsWith("spearman_", StringComparison.Ordinal)))
            Assert.InRange(value, -1, 1);
    }
}

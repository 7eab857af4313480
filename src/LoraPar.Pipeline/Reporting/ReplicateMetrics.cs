using LoraPar.Evaluation.Metrics;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The pooled numbers of the sweep report's Replicates section (<see cref="ReplicateVerdict"/>) as metrics, so a baseline file can
/// pin them and <c>lorapar compare --check</c> hold a re-run to them. Every run of an arm (the runs that share every swept value
/// but the seed) gets, per answer set at the last eval point, <c>replicate_{set}_accuracy_mean</c>, <c>_ci_lower</c> and
/// <c>_ci_upper</c> (the mean over seeds and its 95% t interval, in the accuracy's own unit) and <c>replicate_seeds</c> (the seeds with results); LoRA-PAR's
/// runs get, per answer set and control, <c>pooled_{set}_only_ours_vs_{control}</c> and <c>pooled_{set}_only_control_vs_{control}</c>
/// (questions only one of the two got right, summed over seeds), <c>pooled_{set}_p_vs_{control}</c> (exact stratified McNemar) and
/// <c>pooled_{set}_verdict_vs_{control}</c>: 1 LoRA-PAR beats it, −1 LoRA-PAR is worse, 0 neither at p &lt; <see cref="ControlComparison.Level"/>.
/// </summary>
public static class ReplicateMetrics
{
    /// <summary>
    /// <paramref name="runs"/> with the pooled metrics added (unchanged when the sweep has fewer than two seeds);
    /// <paramref name="evalFolder"/> gives a run's complete eval folder, or null.
    /// </summary>
    public static IReadOnlyList<RunResults> Add(IReadOnlyList<RunResults> runs, Func<RunResults, string?> evalFolder)
    {
        if (!ReplicateVerdict.IsReplicated(runs)) return runs;
        var added = runs.ToDictionary(r => r.Variant.Name, _ => new Dictionary<string, double>(StringComparer.Ordinal));
        foreach (var arm in runs.GroupBy(r => ReplicateVerdict.Arm(r, null)))
            foreach (var (name, value) in Spread(arm.ToList()))
                foreach (var run in arm) added[run.Variant.Name][name] = value;
        foreach (var pooled in ReplicateVerdict.Comparisons(runs, evalFolder))
            foreach (var run in runs.Where(r => r.Variant.Manifest.Partition.Selection == MaskStrategy.Importance
                                                && ReplicateVerdict.Arm(r, ReplicateVerdict.SelectionPath) == pooled.Group))
                foreach (var (name, value) in Of(pooled)) added[run.Variant.Name][name] = value;
        return runs.Select(r => r with { Metrics = Merge(r.Metrics, added[r.Variant.Name]) }).ToList();
    }

    /// <summary>The verdict as a number: 1 LoRA-PAR beats the control, −1 it is worse, 0 neither (pure).</summary>
    public static double VerdictCode(StratifiedMcNemar test) =>
        test.PValue < ControlComparison.Level ? Math.Sign(test.Gained - test.Lost) : 0;

    private static IEnumerable<(string, double)> Spread(IReadOnlyList<RunResults> arm)
    {
        var point = KebabCase.Name(ReplicateVerdict.LastPoint(arm[0]));
        var metrics = arm.SelectMany(r => r.Metrics.Keys).Where(m => ReplicateVerdict.IsAccuracy(m, point)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var metric in metrics)
        {
            var values = arm.Where(r => r.Metrics.ContainsKey(metric)).GroupBy(ReplicateVerdict.Seed).Select(g => g.First().Metrics[metric]).ToList();
            var spread = ReplicateSpread.Of(values);
            var stem = "replicate_" + metric[..metric.IndexOf("_accuracy", StringComparison.Ordinal)] + "_accuracy";
            yield return (stem + "_mean", spread.Mean);
            if (double.IsNaN(spread.Lower)) continue;
            yield return (stem + "_ci_lower", spread.Lower);
            yield return (stem + "_ci_upper", spread.Upper);
        }
        yield return ("replicate_seeds", arm.Where(r => metrics.Any(r.Metrics.ContainsKey)).Select(ReplicateVerdict.Seed).Distinct().Count());
    }

    private static IEnumerable<(string, double)> Of(ReplicateVerdict.Pooled pooled)
    {
        var suffix = $"_vs_{KebabCase.Name(pooled.Control)}";
        yield return ($"pooled_{pooled.Set}_only_ours{suffix}", pooled.Test.Gained);
        yield return ($"pooled_{pooled.Set}_only_control{suffix}", pooled.Test.Lost);
        yield return ($"pooled_{pooled.Set}_p{suffix}", pooled.Test.PValue);
        yield return ($"pooled_{pooled.Set}_verdict{suffix}", VerdictCode(pooled.Test));
    }

    private static Dictionary<string, double> Merge(IReadOnlyDictionary<string, double> metrics, Dictionary<string, double> added)
    {
        var merged = new Dictionary<string, double>(metrics, StringComparer.Ordinal);
        foreach (var (name, value) in added) merged[name] = value;
        return merged;
    }
}

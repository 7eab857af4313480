using System.Globalization;
using System.Text;
using LoraPar.Evaluation.Metrics;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The sweep report's section for a sweep over <c>seed</c>: the seeds are replicates of each arm (the runs that share every
/// other swept value). Per arm and answer set, the accuracy at the last eval point per seed with the mean and its 95% t
/// interval; where the arms differ in <c>partition.selection</c>, LoRA-PAR against each control per seed (McNemar) and pooled
/// over the seeds (<see cref="StratifiedMcNemar"/>), one verdict per answer set and control, and how many questions per seed a
/// difference needs at 80% power (<see cref="PairedSampleSize"/>).
/// </summary>
public static class ReplicateVerdict
{
    /// <summary>The sweep path of the seed axis.</summary>
    public const string SeedPath = "seed";

    /// <summary>The sweep path of the selection axis (LoRA-PAR against its controls).</summary>
    internal const string SelectionPath = "partition.selection";

    /// <summary>One seed's comparison of LoRA-PAR with a control on one answer set.</summary>
    public sealed record SeedRow(long Seed, ControlComparison.Row Row);

    /// <summary>One answer set and control over every seed: the per-seed rows and the pooled test.</summary>
    public sealed record Pooled(string Group, string Set, MaskStrategy Control, IReadOnlyList<SeedRow> Seeds, StratifiedMcNemar Test)
    {
        /// <summary>Questions compared, summed over the seeds.</summary>
        public int Questions => Seeds.Sum(s => s.Row.Compared);

        /// <summary>LoRA-PAR's accuracy minus the control's over all compared questions, as a fraction.</summary>
        public double Difference => Questions == 0 ? 0 : (double)(Test.Gained - Test.Lost) / Questions;

        /// <summary>The share of compared questions the two answered differently.</summary>
        public double Discordant => Questions == 0 ? 0 : (double)(Test.Gained + Test.Lost) / Questions;

        /// <summary>The verdict in words, at <see cref="ControlComparison.Level"/>.</summary>
        public string Verdict => ControlComparison.VerdictOf(Test.PValue, Test.Gained > Test.Lost);
    }

    /// <summary>Whether <paramref name="runs"/> sweep at least two seeds.</summary>
    public static bool IsReplicated(IReadOnlyList<RunResults> runs) => runs.Select(Seed).Distinct().Count() >= 2;

    /// <summary>
    /// The pooled comparisons of a seed sweep whose arms differ in selection (empty otherwise); <paramref name="evalFolder"/> gives
    /// a run's complete eval folder, or null.
    /// </summary>
    public static IReadOnlyList<Pooled> Comparisons(IReadOnlyList<RunResults> runs, Func<RunResults, string?> evalFolder)
    {
        if (!IsReplicated(runs)) return [];
        var point = LastPoint(runs[0]);
        var pooled = new List<Pooled>();
        foreach (var group in runs.GroupBy(r => Arm(r, SelectionPath)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var perSeed = group.GroupBy(Seed).OrderBy(g => g.Key).SelectMany(seed =>
            {
                var folders = seed.Select(r => (r.Variant.Manifest.Partition.Selection, Folder: evalFolder(r)))
                    .Where(f => f.Folder is not null).GroupBy(f => f.Selection).ToDictionary(f => f.Key, f => f.First().Folder!);
                return ControlComparison.Rows(folders, point).Select(row => new SeedRow(seed.Key, row));
            }).ToList();
            foreach (var cell in perSeed.GroupBy(s => (s.Row.Set, s.Row.Control)))
                pooled.Add(new Pooled(group.Key, cell.Key.Set, cell.Key.Control, cell.ToList(), StratifiedMcNemar.Of(cell.Select(s => s.Row.Change).ToList())));
        }
        return pooled;
    }

    /// <summary>The report section of a plan's runs (empty when the sweep has fewer than two seeds).</summary>
    public static string Render(PipelinePlan plan, ArtifactStore store, IReadOnlyList<RunResults> runs) =>
        Render(runs, r => ControlComparison.EvalFolder(plan, store, r));

    /// <summary>The report section (empty when the sweep has fewer than two seeds); <paramref name="evalFolder"/> as for <see cref="Comparisons"/>.</summary>
    public static string Render(IReadOnlyList<RunResults> runs, Func<RunResults, string?> evalFolder)
    {
        if (!IsReplicated(runs)) return "";
        var seeds = runs.Select(Seed).Distinct().Order().ToList();
        var point = KebabCase.Name(LastPoint(runs[0]));
        var text = new StringBuilder($"## Replicates: {seeds.Count} seeds\n\n");
        text.Append($"Each arm's answers correct at the last eval point ({point}) per seed, and the mean over seeds with its 95% t interval.\n\n");
        text.Append(SpreadTable(runs, seeds, point));
        var pooled = Comparisons(runs, evalFolder);
        if (pooled.Count > 0) text.Append('\n').Append(PooledSection(pooled));
        return text.ToString();
    }

    private static string SpreadTable(IReadOnlyList<RunResults> runs, IReadOnlyList<long> seeds, string point)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var arm in runs.GroupBy(r => Arm(r, null)).OrderBy(g => g.Key, StringComparer.Ordinal))
            foreach (var metric in arm.SelectMany(r => r.Metrics.Keys).Where(m => IsAccuracy(m, point)).Distinct().Order(StringComparer.Ordinal))
            {
                var values = seeds.Select(s => arm.FirstOrDefault(r => Seed(r) == s && r.Metrics.ContainsKey(metric))?.Metrics[metric]).ToList();
                var spread = ReplicateSpread.Of(values.OfType<double>().ToList());
                rows.Add([arm.Key, Headline.Label(metric[..metric.IndexOf("_accuracy", StringComparison.Ordinal)]),
                    .. values.Select(v => v is { } x ? Headline.Percent(x) : "—"),
                    Headline.Percent(spread.Mean), double.IsNaN(spread.Lower) ? "—" : $"{Headline.Percent(spread.Lower)} – {Headline.Percent(spread.Upper)}"]);
            }
        return MarkdownTable.Render(["arm", "answers", .. seeds.Select(s => $"seed {s}"), "mean", "95% CI"], rows);
    }

    private static string PooledSection(IReadOnlyList<Pooled> pooled)
    {
        var text = new StringBuilder("### LoRA-PAR against the controls, pooled over seeds\n\n");
        text.Append("Same questions per seed; \"only LoRA-PAR\" / \"only control\": questions one of the two got right, summed over seeds; "
            + "p: exact stratified McNemar (Cochran–Mantel–Haenszel with each question of each seed a stratum); odds ratio: "
            + "Mantel–Haenszel, Σ only LoRA-PAR / Σ only control. Questions needed: per seed, for the pooled difference at 80% power "
            + $"and α = {ControlComparison.Level} with the discordance seen here.\n\n");
        text.Append(MarkdownTable.Render(["arm", "answers", "control", "seeds", "only LoRA-PAR", "only control", "odds ratio (95% CI)", "p", "verdict", "questions needed"],
            pooled.Select(p => (IReadOnlyList<string>)[p.Group, Headline.Label(p.Set), KebabCase.Name(p.Control), p.Seeds.Count.ToString(CultureInfo.InvariantCulture),
                p.Test.Gained.ToString(CultureInfo.InvariantCulture), p.Test.Lost.ToString(CultureInfo.InvariantCulture), Odds(p.Test),
                Headline.PValue(p.Test.PValue), p.Verdict, Needed(p)])));
        text.Append("\nPer seed (McNemar's exact test):\n\n");
        text.Append(MarkdownTable.Render(["arm", "answers", "control", "seed", "LoRA-PAR", "control", "only LoRA-PAR", "only control", "p"],
            pooled.SelectMany(p => p.Seeds.Select(s => (IReadOnlyList<string>)[p.Group, Headline.Label(p.Set), KebabCase.Name(p.Control),
                s.Seed.ToString(CultureInfo.InvariantCulture), Headline.Percent(s.Row.Ours), Headline.Percent(s.Row.Theirs),
                s.Row.Change.Gained.ToString(CultureInfo.InvariantCulture), s.Row.Change.Lost.ToString(CultureInfo.InvariantCulture),
                Headline.PValue(s.Row.Change.PValue)]))));
        return text.ToString();
    }

    /// <summary>Questions per seed the pooled difference needs at 80% power, or "—" when there is no difference.</summary>
    private static string Needed(Pooled p)
    {
        if (p.Difference == 0) return "—";
        var perSeed = p.Questions / p.Seeds.Count;
        return $"{PairedSampleSize.Questions(p.Difference, p.Discordant).ToString(CultureInfo.InvariantCulture)} (have {perSeed.ToString(CultureInfo.InvariantCulture)})";
    }

    private static string Odds(StratifiedMcNemar test) => double.IsNaN(test.OddsRatio)
        ? "—"
        : string.Create(CultureInfo.InvariantCulture, $"{Show(test.OddsRatio)} ({Show(test.OddsLower)} – {Show(test.OddsUpper)})");

    private static string Show(double value) => double.IsPositiveInfinity(value) ? "∞" : value.ToString("0.00", CultureInfo.InvariantCulture);

    internal static bool IsAccuracy(string metric, string point) =>
        metric.EndsWith($"_accuracy_{point}", StringComparison.Ordinal) && !metric.StartsWith("rl_", StringComparison.Ordinal);

    internal static EvalPoint LastPoint(RunResults run) =>
        run.Variant.Manifest.Eval.Points.Where(p => p != EvalPoint.Base).DefaultIfEmpty(EvalPoint.Base).Max();

    internal static long Seed(RunResults run) => run.Variant.Manifest.Seed;

    /// <summary>The run's swept values other than the seed (and <paramref name="also"/>), e.g. "selection=random"; "all" when none.</summary>
    internal static string Arm(RunResults run, string? also)
    {
        var parts = run.Variant.Point.Where(p => p.Key != SeedPath && p.Key != also).Select(p => $"{p.Key.Split('.')[^1]}={p.Value}").ToList();
        return parts.Count == 0 ? "all" : string.Join(", ", parts);
    }
}

using System.Text;
using LoraPar.Evaluation.Metrics;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Eval;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The sweep report's verdict for a sweep over <c>partition.selection</c> alone: whether LoRA-PAR (importance masks) beats
/// each control (a random mask of equal size, plain LoRA) on each answer set at the last evaluated point, question by
/// question — the questions only LoRA-PAR got right, those only the control got right, and McNemar's exact p of that split.
/// "Beats" needs a higher accuracy and p &lt; 0.05; a higher accuracy with p ≥ 0.05 is reported as not distinguishable.
/// </summary>
public static class ControlComparison
{
    /// <summary>The significance level of the verdict.</summary>
    public const double Level = 0.05;

    private const string SelectionPath = "partition.selection";

    /// <summary>One answer set's comparison of LoRA-PAR with one control over <paramref name="Compared"/> questions both graded.</summary>
    public sealed record Row(string Set, string Point, MaskStrategy Control, double Ours, double Theirs, PairedChange Change, int Compared)
    {
        /// <summary>The verdict in words.</summary>
        public string Verdict => VerdictOf(Change.PValue, Ours > Theirs);
    }

    /// <summary>The verdict in words for a paired p-value and whether LoRA-PAR came out higher (pure).</summary>
    public static string VerdictOf(double p, bool higher) => p < Level
        ? higher ? "LoRA-PAR beats it" : "LoRA-PAR is worse"
        : higher ? "higher, but not distinguishable from noise" : "LoRA-PAR does not beat it";

    /// <summary>The comparisons, or an empty list when the sweep is not over the selection alone or lacks results.</summary>
    public static IReadOnlyList<Row> Rows(PipelinePlan plan, ArtifactStore store, IReadOnlyList<RunResults> runs)
    {
        if (runs.Count == 0 || runs.Any(r => r.Variant.Point.Any(p => p.Key != SelectionPath))) return [];
        var folders = runs.Select(r => (r.Variant.Manifest.Partition.Selection, Folder: EvalFolder(plan, store, r)))
            .Where(f => f.Folder is not null).ToDictionary(f => f.Selection, f => f.Folder!);
        var point = runs[0].Variant.Manifest.Eval.Points.Where(p => p != EvalPoint.Base).DefaultIfEmpty(EvalPoint.Base).Max();
        return Rows(folders, point);
    }

    /// <summary>
    /// The comparisons at <paramref name="point"/> between the importance run and every other run of
    /// <paramref name="folders"/> (each selection's eval folder, holding <c>{set}_{point}.jsonl</c>).
    /// </summary>
    public static IReadOnlyList<Row> Rows(IReadOnlyDictionary<MaskStrategy, string> folders, EvalPoint point)
    {
        if (!folders.TryGetValue(MaskStrategy.Importance, out var ours)) return [];
        var rows = new List<Row>();
        foreach (var (control, theirs) in folders.Where(f => f.Key != MaskStrategy.Importance).OrderBy(f => f.Key))
            foreach (var set in EvalSuite.AnswerSets)
            {
                var (a, b) = (AnswerChanges.Graded(set, (point, ours)), AnswerChanges.Graded(set, (point, theirs)));
                if (a is null || b is null || a.Count == 0 || b.Count == 0) continue;
                rows.Add(new Row(set.Name, KebabCase.Name(point), control, Percent(a), Percent(b), PairedChange.Of(b, a), a.Keys.Count(b.ContainsKey)));
            }
        return rows;
    }

    /// <summary>The report section (empty when there is nothing to compare).</summary>
    public static string Render(IReadOnlyList<Row> rows)
    {
        if (rows.Count == 0) return "";
        var text = new StringBuilder();
        text.AppendLine("## LoRA-PAR against the controls").AppendLine();
        text.AppendLine($"Same questions, last eval point; \"only LoRA-PAR\" / \"only control\": questions one of the two got right; "
            + $"p: McNemar's exact test (verdict at p < {Level}).").AppendLine();
        text.Append(MarkdownTable.Render(["set", "point", "control", "LoRA-PAR %", "control %", "only LoRA-PAR", "only control", "p", "verdict"],
            rows.Select(r => (IReadOnlyList<string>)[r.Set, r.Point, KebabCase.Name(r.Control), MarkdownTable.Number(r.Ours),
                MarkdownTable.Number(r.Theirs), r.Change.Gained.ToString(), r.Change.Lost.ToString(), r.Change.PValue.ToString("0.000"), r.Verdict])));
        return text.ToString();
    }

    /// <summary>The folder of the run's complete eval stage, or null.</summary>
    internal static string? EvalFolder(PipelinePlan plan, ArtifactStore store, RunResults run)
    {
        var node = plan.Find(run.Variant.Name, StageKinds.Eval);
        return node is not null && store.Check(StageKinds.Eval, node.Key).IsComplete ? store.DirectoryOf(StageKinds.Eval, node.Key) : null;
    }

    private static double Percent(IReadOnlyDictionary<string, bool> graded) => 100.0 * graded.Values.Count(v => v) / graded.Count;
}

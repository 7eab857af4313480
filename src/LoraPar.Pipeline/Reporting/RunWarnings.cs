using System.Text;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The warnings that change a run's results (<see cref="StageWarnings"/>), gathered from the committed artifacts: printed on
/// the console after <c>lorapar run</c> and listed in report.md, so they are not only in the log.
/// </summary>
public static class RunWarnings
{
    /// <summary>The distinct warnings of every committed stage of <paramref name="plan"/>, in plan order.</summary>
    public static IReadOnlyList<StageWarning> Of(PipelinePlan plan, ArtifactStore store) =>
        plan.Nodes.Where(n => store.Check(n.Kind, n.Key).IsComplete)
            .SelectMany(n => StageWarnings.Read(store.DirectoryOf(n.Kind, n.Key)))
            .Distinct().ToList();

    /// <summary>The console block ("" when there is nothing to say).</summary>
    public static string Console(IReadOnlyList<StageWarning> warnings)
    {
        if (warnings.Count == 0) return "";
        var text = new StringBuilder($"warnings that change results ({warnings.Count}):\n");
        foreach (var w in warnings) text.Append("  warning: ").Append(w.Stage).Append(": ").Append(w.Message).Append('\n');
        return text.ToString();
    }

    /// <summary>The report section over the artifacts in <paramref name="directories"/> ("" when none has warnings).</summary>
    public static string Markdown(IEnumerable<string> directories)
    {
        var warnings = directories.SelectMany(StageWarnings.Read).Distinct().ToList();
        if (warnings.Count == 0) return "";
        var text = new StringBuilder("## Warnings\n\nThese change what the run computed:\n\n");
        foreach (var w in warnings) text.Append("- **").Append(w.Stage).Append("**: ").Append(w.Message).Append('\n');
        return text.Append('\n').ToString();
    }
}

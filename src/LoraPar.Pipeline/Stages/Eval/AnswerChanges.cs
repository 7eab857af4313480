using LoraPar.Evaluation.Metrics;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Stages.Eval;

/// <summary>
/// The paired change of each answer set from one eval point to the next (base → stage 1 → stage 2) over the same questions,
/// as metrics of the later point: <c>{set}_gained_{point}</c>, <c>{set}_lost_{point}</c> and <c>{set}_change_p_{point}</c>
/// (McNemar's exact p-value, <see cref="PairedChange"/>), graded strictly as the accuracy is.
/// </summary>
public static class AnswerChanges
{
    /// <summary>
    /// The changes between consecutive points of <paramref name="points"/> (in order, each with the folder holding its
    /// <c>{set}_{point}.jsonl</c>) for every set of <paramref name="sets"/> whose two files exist.
    /// </summary>
    public static Dictionary<string, double> Metrics(IReadOnlyList<AnswerSet> sets, IReadOnlyList<(EvalPoint Point, string Folder)> points)
    {
        var metrics = new Dictionary<string, double>();
        foreach (var set in sets)
        {
            var before = points.Count > 0 ? Graded(set, points[0]) : null;
            for (var i = 1; i < points.Count; i++)
            {
                var after = Graded(set, points[i]);                     // each point's file is read once
                if (before is not null && after is not null) Add(metrics, set.Name, points[i].Point, PairedChange.Of(before, after));
                before = after;
            }
        }
        return metrics;
    }

    private static void Add(Dictionary<string, double> metrics, string set, EvalPoint at, PairedChange change)
    {
        var point = KebabCase.Name(at);
        metrics[$"{set}_gained_{point}"] = change.Gained;
        metrics[$"{set}_lost_{point}"] = change.Lost;
        metrics[$"{set}_change_p_{point}"] = change.PValue;
    }

    /// <summary>The verdict by question id (strict for GSM8K-format sets), or null when the point has no results file for the set.</summary>
    public static Dictionary<string, bool>? Graded(AnswerSet set, (EvalPoint Point, string Folder) at)
    {
        var path = Path.Combine(at.Folder, EvalRun.FileName(set.Name, KebabCase.Name(at.Point)));
        return File.Exists(path) ? set.ReadVerdicts(path) : null;
    }
}

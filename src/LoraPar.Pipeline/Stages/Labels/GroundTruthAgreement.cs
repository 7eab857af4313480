using LoraPar.Core;
using LoraPar.Method.Splitter;

namespace LoraPar.Pipeline.Stages.Labels;

/// <summary>How the questions of one ground-truth system were labelled.</summary>
public sealed record ConfusionRow(int LabelledSystem1, int LabelledSystem2);

/// <summary>One teacher's votes against the ground truth, over the questions it did not abstain on.</summary>
public sealed record TeacherAgreement(string Teacher, int Votes, double? Accuracy);

/// <summary>
/// For the synthetic task, whose generator knows each question's system: how often the voted label equals it (accuracy),
/// the confusion counts (rows: ground truth; columns: label) and each teacher's own accuracy. Ratios are rounded to 6 decimals.
/// </summary>
public sealed record GroundTruthAgreement(
    int Items, int Agreeing, double Accuracy, ConfusionRow TruthSystem1, ConfusionRow TruthSystem2, IReadOnlyList<TeacherAgreement> Teachers)
{
    /// <summary>
    /// Compares <paramref name="labels"/> with <paramref name="truth"/> (id → 1 or 2); labels of ids without a ground truth are
    /// left out. Null when no label has one.
    /// </summary>
    public static GroundTruthAgreement? Compute(IReadOnlyList<ItemLabel> labels, IReadOnlyDictionary<string, int> truth)
    {
        var known = labels.Where(l => truth.ContainsKey(l.Id)).ToList();
        if (known.Count == 0) return null;
        int Count(int system, ReasoningSystem label) => known.Count(l => truth[l.Id] == system && l.Label == label);
        var row1 = new ConfusionRow(Count(1, ReasoningSystem.System1), Count(1, ReasoningSystem.System2));
        var row2 = new ConfusionRow(Count(2, ReasoningSystem.System1), Count(2, ReasoningSystem.System2));
        var agreeing = row1.LabelledSystem1 + row2.LabelledSystem2;
        var teachers = known[0].Votes.Select((v, i) => PerTeacher(v.Teacher, known.Select(l => (l.Votes[i].Vote, truth[l.Id])))).ToList();
        return new GroundTruthAgreement(known.Count, agreeing, LabelStatistics.Round((double)agreeing / known.Count), row1, row2, teachers);
    }

    private static TeacherAgreement PerTeacher(string teacher, IEnumerable<(Vote Vote, int Truth)> votes)
    {
        var cast = votes.Where(v => v.Vote != Vote.Abstain).ToList();
        var right = cast.Count(v => (int)v.Vote == v.Truth);
        return new TeacherAgreement(teacher, cast.Count, cast.Count == 0 ? null : LabelStatistics.Round((double)right / cast.Count));
    }
}

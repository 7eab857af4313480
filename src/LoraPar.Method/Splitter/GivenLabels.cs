using System.Text.Json.Serialization;
using LoraPar.Core;

namespace LoraPar.Method.Splitter;

/// <summary>What <see cref="SplitterMethod.LabelsFile"/> does with a training question the labels file does not list.</summary>
public enum MissingLabelPolicy
{
    /// <summary>Stop: every training question needs a row (the default).</summary>
    [JsonStringEnumMemberName("error")] Error,

    /// <summary>Settle it as a question no teacher voted on, by the configured tie-break rule.</summary>
    [JsonStringEnumMemberName("tie_break")] TieBreak,
}

/// <summary>
/// One row of a labels file: where it is (<c>file:line</c>), the question's id, and either its label or one vote per teacher
/// column (<see cref="Vote.Abstain"/> for an empty cell).
/// </summary>
public sealed record GivenLabelRow(string Where, string Id, ReasoningSystem? Label, IReadOnlyList<Vote>? Votes);

/// <summary>A labels file as read: its path, the teacher columns its votes come in (none for a file of labels), and its rows.</summary>
public sealed record GivenLabelTable(string File, IReadOnlyList<string> Teachers, IReadOnlyList<GivenLabelRow> Rows);

/// <summary>
/// Labels brought by the user (<see cref="SplitterMethod.LabelsFile"/>): a label per question id, or per-teacher votes that are
/// voted like the teachers' own (<see cref="MajorityVote"/>, weight 1 each, the configured tie-break). Every row must name a
/// training question, once; a question without a row is an error or a tie-break, as <see cref="MissingLabelPolicy"/> says.
/// </summary>
public static class GivenLabels
{
    /// <summary>The vote a cell names: 1, 2, system1, system2 or "system 1/2" (any case); an empty cell or "abstain" abstains; null otherwise.</summary>
    public static Vote? ParseVote(string text)
    {
        var t = text.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        return t switch
        {
            "1" or "system1" or "s1" => Vote.System1,
            "2" or "system2" or "s2" => Vote.System2,
            "" or "abstain" => Vote.Abstain,
            _ => null,
        };
    }

    /// <summary>
    /// The label of every question of <paramref name="ids"/> (in that order) and the teachers the votes came from (pure).
    /// Throws <see cref="BadInputException"/> listing, by <c>file:line</c>, unknown and repeated ids, and the unlisted questions
    /// under <see cref="MissingLabelPolicy.Error"/>.
    /// </summary>
    public static (IReadOnlyList<ItemLabel> Labels, IReadOnlyList<TeacherConfig> Teachers) Label(
        IReadOnlyList<string> ids, GivenLabelTable table, MissingLabelPolicy missing, TieBreakRule tieBreak, long seed)
    {
        var known = ids.ToHashSet(StringComparer.Ordinal);
        var rows = new Dictionary<string, GivenLabelRow>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var row in table.Rows)
        {
            if (!known.Contains(row.Id))
                problems.Add($"{row.Where}: unknown id \"{row.Id}\"; it is not a training question of this run's data stage");
            else if (!rows.TryAdd(row.Id, row))
                problems.Add($"{row.Where}: duplicate id \"{row.Id}\"; it is labelled first at {rows[row.Id].Where}");
        }
        var unlisted = ids.Where(id => !rows.ContainsKey(id)).ToList();
        if (missing == MissingLabelPolicy.Error && unlisted.Count > 0)
            problems.Add($"{table.File}: {unlisted.Count} of {ids.Count} training questions have no row, e.g. "
                         + string.Join(", ", unlisted.Take(3).Select(id => $"\"{id}\""))
                         + "; add them, or set splitter.missing_labels = \"tie-break\" to settle them by splitter.tie_break");
        if (problems.Count > 0) throw Invalid(problems);
        var teachers = table.Teachers.Select(t => (TeacherConfig)new RecordedTeacherConfig(t, table.File)).ToList();
        var labels = ids.Select(id => rows.TryGetValue(id, out var row)
            ? FromRow(row, teachers, tieBreak, seed)
            : Unlisted(id, teachers, tieBreak, seed)).ToList();
        return (labels, teachers);
    }

    /// <summary>One exception listing a labels file's problems (the first 20, and how many more).</summary>
    public static BadInputException Invalid(IReadOnlyList<string> problems) =>
        new($"the labels file is invalid ({problems.Count} problem(s)):\n  " + string.Join("\n  ", problems.Take(20))
            + (problems.Count > 20 ? $"\n  … {problems.Count - 20} more" : ""));

    private static ItemLabel FromRow(GivenLabelRow row, IReadOnlyList<TeacherConfig> teachers, TieBreakRule tieBreak, long seed)
    {
        if (row.Label is { } label) return new ItemLabel(row.Id, label, LabelDecision.LabelsFile, 0, 0, []);
        var votes = row.Votes!.Select((v, i) => new TeacherVote(teachers[i].Name, TeacherKind.Recorded, v,
            v == Vote.Abstain ? AnswerStatus.Unparseable : AnswerStatus.Answered, null)).ToList();
        return Decide(row.Id, votes, tieBreak, seed);
    }

    private static ItemLabel Unlisted(string id, IReadOnlyList<TeacherConfig> teachers, TieBreakRule tieBreak, long seed) =>
        Decide(id, teachers.Select(t => new TeacherVote(t.Name, TeacherKind.Recorded, Vote.Abstain, AnswerStatus.Skipped, null,
            "not in the labels file")).ToList(), tieBreak, seed);

    private static ItemLabel Decide(string id, IReadOnlyList<TeacherVote> votes, TieBreakRule tieBreak, long seed)
    {
        var decision = MajorityVote.Decide(votes.Select(v => v.Vote).ToList(), votes.Select(_ => 1.0).ToList(), tieBreak, seed, id);
        return new ItemLabel(id, decision.Label, decision.DecidedBy, decision.System1Weight, decision.System2Weight, votes);
    }
}

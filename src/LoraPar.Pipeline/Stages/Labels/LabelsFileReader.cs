using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Stages.Labels;

/// <summary>
/// Reads the user's labels table (<see cref="LabelsFileSource"/>) into a <see cref="GivenLabelTable"/>: an <c>id</c> column and a
/// <c>system</c> column, or vote columns (those named by <c>vote_columns</c>, else every column but <c>id</c>). Every bad cell is
/// reported as <c>file:line: message</c>, all of them in one <see cref="BadInputException"/>.
/// </summary>
public static class LabelsFileReader
{
    private const string IdColumn = "id";
    private const string SystemColumn = "system";

    /// <summary>The table of <paramref name="source"/>; throws <see cref="BadInputException"/> listing every problem.</summary>
    public static GivenLabelTable Read(LabelsFileSource source)
    {
        var file = source.Path.Resolved;
        var raw = TableReader.Read(file, new TableLayout());
        var columns = raw.SelectMany(r => r.Cells.Keys).Distinct(StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        if (!columns.Contains(IdColumn)) problems.Add($"{file}: no \"{IdColumn}\" column; the labels table needs the training rows' ids");
        var voteColumns = VoteColumns(source, columns, file, problems);
        if (problems.Count > 0) throw GivenLabels.Invalid(problems);
        var rows = raw.Select(r => ReadRow(r, voteColumns, problems)).OfType<GivenLabelRow>().ToList();
        if (problems.Count > 0) throw GivenLabels.Invalid(problems);
        return new GivenLabelTable(file, voteColumns ?? [], rows);
    }

    /// <summary>The vote columns, or null for a table of labels (a <c>system</c> column and no <c>vote_columns</c>).</summary>
    private static IReadOnlyList<string>? VoteColumns(LabelsFileSource source, IReadOnlyList<string> columns, string file, List<string> problems)
    {
        if (source.VoteColumns.Count > 0)
        {
            foreach (var missing in source.VoteColumns.Where(c => !columns.Contains(c)))
                problems.Add($"{file}: vote column \"{missing}\" (splitter.vote_columns) is not in the file; its columns are {string.Join(", ", columns)}");
            return source.VoteColumns;
        }
        if (columns.Contains(SystemColumn)) return null;
        var teachers = columns.Where(c => c != IdColumn).ToList();
        if (teachers.Count == 0)
            problems.Add($"{file}: only an id column; add a \"{SystemColumn}\" column (1 or 2), or one column of votes per teacher");
        return teachers;
    }

    private static GivenLabelRow? ReadRow(RawRow row, IReadOnlyList<string>? voteColumns, List<string> problems)
    {
        var where = row.Position.ToString();
        var id = Cell(row, IdColumn).Trim();
        if (id.Length == 0)
        {
            problems.Add($"{where}: empty id");
            return null;
        }
        if (voteColumns is null)
        {
            var text = Cell(row, SystemColumn);
            if (GivenLabels.ParseVote(text) is { } vote && Votes.Label(vote) is { } label) return new GivenLabelRow(where, id, label, null);
            problems.Add($"{where}: unknown system \"{text}\" for id \"{id}\"; write 1, 2, system1 or system2");
            return null;
        }
        var votes = new List<Vote>();
        foreach (var column in voteColumns)
        {
            var text = Cell(row, column);
            if (GivenLabels.ParseVote(text) is { } vote) votes.Add(vote);
            else problems.Add($"{where}: unknown system \"{text}\" in vote column \"{column}\"; write 1, 2, system1, system2, or leave it empty to abstain");
        }
        return votes.Count == voteColumns.Count ? new GivenLabelRow(where, id, null, votes) : null;
    }

    private static string Cell(RawRow row, string column) =>
        row.Cells.TryGetValue(column, out var value) ? value.Text ?? string.Join(",", value.Items ?? []) : "";
}

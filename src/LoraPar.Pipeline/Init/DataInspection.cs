using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Init;

/// <summary>
/// What <c>lorapar init</c> found in a data file: its table format, columns, the layout they suggest and the column of each
/// field (by the common names of instruction-tuning sets), and a sample row.
/// </summary>
/// <param name="Path">The file as given.</param>
/// <param name="Format">The table format (from the extension).</param>
/// <param name="Rows">Rows in the file.</param>
/// <param name="Columns">The first row's columns, in file order.</param>
/// <param name="Dataset">The own-data layout the columns suggest.</param>
/// <param name="Mapping">Field → column for the fields found under another name (or the optional ones found at all).</param>
/// <param name="Sample">The first row, column → text (long texts shortened).</param>
/// <param name="Missing">Required fields no column was found for (the manifest then needs an edit).</param>
public sealed record DataInspection(string Path, TableFormat Format, int Rows, IReadOnlyList<string> Columns, DatasetKind Dataset,
    IReadOnlyDictionary<string, string> Mapping, IReadOnlyDictionary<string, string> Sample, IReadOnlyList<string> Missing)
{
    /// <summary>Column names that commonly hold each field, most likely first.</summary>
    public static IReadOnlyDictionary<string, string[]> Candidates { get; } = new Dictionary<string, string[]>
    {
        ["messages"] = ["messages", "conversation", "conversations", "chat", "dialog"],
        ["prompt"] = ["prompt"],
        ["completion"] = ["completion"],
        ["question"] = ["question", "instruction", "query", "problem", "input", "prompt", "text"],
        ["answer"] = ["answer", "response", "output", "solution", "completion", "target"],
        ["system"] = ["system", "system_prompt"],
        ["id"] = ["id", "uid", "task_id", "idx"],
        ["label"] = ["label", "system_label", "system"],
    };

    /// <summary>Inspects <paramref name="path"/>, given as <paramref name="option"/> (named in errors).</summary>
    public static DataInspection Of(string path, string option = "--data")
    {
        var format = TableFormats.Detect(path);
        var rows = TableReader.Read(path, new TableLayout(format));
        if (rows.Count == 0) throw new BadInputException($"{option} {path}: the file holds no rows");
        var first = rows[0];
        var columns = first.Cells.Keys.ToList();
        var dataset = LayoutOf(first);
        var fields = OwnDataRecord.FieldsOf(OwnDataKinds.LayoutOf(dataset)!.Value);
        var mapping = new Dictionary<string, string>();
        var missing = new List<string>();
        foreach (var field in fields)
        {
            var column = Candidates[field].FirstOrDefault(c => columns.Contains(c) && !mapping.ContainsValue(c) && Fits(field, first, c));
            if (column is not null) mapping[field] = column;
            else if (field is not ("system" or "id" or "label")) missing.Add(field);
        }
        var sample = first.Cells.ToDictionary(kv => kv.Key, kv => Shorten(kv.Value.Text ?? "[" + string.Join(", ", kv.Value.Items!) + "]"));
        return new DataInspection(path, format, rows.Count, columns, dataset, mapping, sample, missing);
    }

    private static DatasetKind LayoutOf(RawRow row)
    {
        if (Candidates["messages"].Any(c => row.Cells.TryGetValue(c, out var v) && (v.Items is not null || v.Text!.TrimStart().StartsWith('['))))
            return DatasetKind.Messages;
        if (row.Cells.ContainsKey("prompt") && row.Cells.ContainsKey("completion")) return DatasetKind.PromptCompletion;
        return DatasetKind.QuestionAnswer;
    }

    /// <summary>A label column holds 1 or 2, a system column holds text other than that; other fields take the column as it is.</summary>
    private static bool Fits(string field, RawRow row, string column)
    {
        var isLabel = row.Cells[column].Text?.Trim() is "1" or "2";
        return field switch { "label" => isLabel, "system" => !isLabel, _ => true };
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}

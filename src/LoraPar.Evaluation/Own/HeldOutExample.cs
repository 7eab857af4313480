using System.Text.Json;
using LoraPar.Evaluation.Datasets;

namespace LoraPar.Evaluation.Own;

/// <summary>
/// One question of a held-out file of one's own: the record (its prompt and gold answer) and, for
/// <see cref="AnswerMetric.Choice"/>, its options — a list cell, or in CSV a JSON array of strings — of which the gold
/// answer must be one (compared after trimming).
/// </summary>
public sealed record HeldOutExample(OwnDataRecord Record, IReadOnlyList<string>? Options)
{
    /// <summary>The field that holds a row's options (renamed with <c>options = "column"</c> in the columns mapping).</summary>
    public const string OptionsField = "options";

    /// <summary>The index of the gold answer among <see cref="Options"/> (-1 without options).</summary>
    public int GoldIndex => Options is null ? -1 : Options.ToList().FindIndex(o => o.Trim() == Record.Answer.Trim());

    /// <summary>Reads <paramref name="row"/>'s options; a row without at least two distinct ones, or whose gold is none of them, is an error naming file and row.</summary>
    public static HeldOutExample WithOptions(MappedRow row, OwnDataRecord record)
    {
        var value = row.Value(OptionsField);
        var options = value.Items ?? FromJson(row, value.Text ?? "");
        if (options.Count < 2 || options.Select(o => o.Trim()).Distinct(StringComparer.Ordinal).Count() != options.Count)
            throw row.Wrong(OptionsField, $"{options.Count} option(s) or repeated ones; multiple choice needs at least two distinct options");
        var example = new HeldOutExample(record, options);
        return example.GoldIndex >= 0
            ? example
            : throw row.Wrong(OptionsField, $"no option equal to the gold answer '{record.Answer.Trim()}'; the gold answer must be one of the options");
    }

    private static IReadOnlyList<string> FromJson(MappedRow row, string text)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(text) ?? [];
        }
        catch (JsonException)
        {
            throw row.Wrong(OptionsField, "a text where a list of options was expected (in CSV, a JSON array such as [\"yes\", \"no\"])");
        }
    }
}

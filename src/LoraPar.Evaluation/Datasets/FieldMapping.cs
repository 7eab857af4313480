namespace LoraPar.Evaluation.Datasets;

/// <summary>
/// Maps the fields a dataset format expects (e.g. GSM8K's <c>question</c>) to the column names of a particular file
/// (e.g. <c>problem</c>). Unmapped fields are looked up under their own name.
/// </summary>
public sealed record FieldMapping(IReadOnlyDictionary<string, string> Columns)
{
    /// <summary>The mapping that renames nothing.</summary>
    public static FieldMapping Identity { get; } = new(new Dictionary<string, string>());

    /// <summary>The column that holds <paramref name="field"/>.</summary>
    public string ColumnOf(string field) => Columns.TryGetValue(field, out var column) ? column : field;
}

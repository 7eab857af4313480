using LoraPar.Evaluation.Datasets;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>
/// <c>[data.columns]</c>: which column of one's own data file holds each field of its layout. Every field defaults to the
/// column of its own name; <c>system</c>, <c>id</c> and <c>label</c> are optional, but a column named here must be in every row.
/// </summary>
public sealed record DataColumns
{
    /// <summary>The question (question-answer).</summary>
    public string Question { get; init; } = "question";

    /// <summary>The reference answer (question-answer).</summary>
    public string Answer { get; init; } = "answer";

    /// <summary>An optional system message (question-answer).</summary>
    public string System { get; init; } = "system";

    /// <summary>The finished prompt (prompt-completion).</summary>
    public string Prompt { get; init; } = "prompt";

    /// <summary>The completion the loss covers (prompt-completion).</summary>
    public string Completion { get; init; } = "completion";

    /// <summary>The chat conversation (messages).</summary>
    public string Messages { get; init; } = "messages";

    /// <summary>An optional unique example id (otherwise <c>{file stem}#{row}</c>).</summary>
    public string Id { get; init; } = "id";

    /// <summary>An optional System label, 1 or 2, that the teachers' votes are compared with.</summary>
    public string Label { get; init; } = "label";

    private static readonly (string Field, Func<DataColumns, string> Column)[] All =
    [
        ("question", c => c.Question), ("answer", c => c.Answer), ("system", c => c.System), ("prompt", c => c.Prompt),
        ("completion", c => c.Completion), ("messages", c => c.Messages), ("id", c => c.Id), ("label", c => c.Label),
    ];

    /// <summary>The mapping of the fields this table renames (the others are read under their own name).</summary>
    public FieldMapping Mapping() => new(All.Where(f => f.Column(this) != f.Field).ToDictionary(f => f.Field, f => f.Column(this)));

    internal static DataColumns Read(SectionReader r, OwnDataLayout? layout, string dataset)
    {
        var d = new DataColumns();
        var columns = new DataColumns
        {
            Question = Column(r, "question", d.Question), Answer = Column(r, "answer", d.Answer), System = Column(r, "system", d.System),
            Prompt = Column(r, "prompt", d.Prompt), Completion = Column(r, "completion", d.Completion),
            Messages = Column(r, "messages", d.Messages), Id = Column(r, "id", d.Id), Label = Column(r, "label", d.Label),
        };
        var fields = layout is { } l ? OwnDataRecord.FieldsOf(l) : [];
        // a field mapped to its own name renames nothing (the printed resolved manifest lists every field so): only a renaming is refused
        foreach (var (field, _) in All.Where(f => r.Has(f.Field) && f.Column(columns) != f.Field && !fields.Contains(f.Field)))
            r.Error(field, fields.Count == 0
                ? $"[data.columns] maps one's own data; dataset = \"{dataset}\" has fixed columns (use question-answer, prompt-completion or messages)"
                : $"dataset = \"{dataset}\" has no field '{field}'; its fields are {string.Join(", ", fields)}");
        r.Finish();
        return columns;
    }

    private static string Column(SectionReader r, string key, string fallback)
    {
        var column = r.String(key, fallback);
        if (column.Trim().Length == 0) r.Error(key, "the column name is empty");
        return column;
    }
}

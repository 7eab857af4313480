using System.Globalization;
using LoraPar.Core;

namespace LoraPar.Evaluation.Datasets;

/// <summary>A row read through a field mapping: typed access to a format's fields, with errors naming file, row and field.</summary>
public readonly record struct MappedRow(RawRow Row, FieldMapping Mapping)
{
    /// <summary>Where the row is.</summary>
    public RowPosition Position => Row.Position;

    /// <summary>The text of a required scalar field.</summary>
    public string Text(string field)
    {
        var value = Find(field) ?? throw Missing(field);
        return value.Text ?? throw Wrong(field, "a list where a text was expected");
    }

    /// <summary>The cell of a required field, scalar or list.</summary>
    public RawValue Value(string field) => Find(field) ?? throw Missing(field);

    /// <summary>Whether the row holds <paramref name="field"/>.</summary>
    public bool Has(string field) => Find(field) is not null;

    /// <summary>The text of an optional scalar field, or "" when it is absent or null.</summary>
    public string OptionalText(string field) => Find(field) is { } value
        ? value.Text ?? throw Wrong(field, "a list where a text was expected")
        : "";

    /// <summary>The items of a required list field.</summary>
    public IReadOnlyList<string> List(string field)
    {
        var value = Find(field) ?? throw Missing(field);
        return value.Items ?? throw Wrong(field, "a text where a list was expected");
    }

    /// <summary>A required integer field.</summary>
    public int Integer(string field)
    {
        var text = Text(field);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Wrong(field, $"'{Shorten(text)}' where an integer was expected");
    }

    /// <summary>An error about this row's <paramref name="field"/>.</summary>
    public BadInputException Wrong(string field, string problem) =>
        new($"{Position}: field '{field}'{ColumnNote(field)} holds {problem}; fix the row or map the field to another column");

    private RawValue? Find(string field) => Row.Cells.GetValueOrDefault(Mapping.ColumnOf(field));

    private BadInputException Missing(string field)
    {
        var present = Row.Cells.Count == 0 ? "no fields" : "fields " + string.Join(", ", Row.Cells.Keys.Order(StringComparer.Ordinal));
        return new BadInputException(
            $"{Position}: missing field '{field}'{ColumnNote(field)}; the row has {present}. " +
            $"Fix the row, or map '{field}' to the column that holds it in the dataset's field mapping");
    }

    private string ColumnNote(string field)
    {
        var column = Mapping.ColumnOf(field);
        return column == field ? "" : $" (column '{column}')";
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

using System.Globalization;

namespace LoraPar.Evaluation.Datasets;

/// <summary>How a row is located in its file.</summary>
public enum RowNumbering
{
    /// <summary>The 1-based line where the row starts (JSONL, CSV).</summary>
    Line,

    /// <summary>The 0-based index of the row in the file (JSON arrays, Parquet).</summary>
    Index,
}

/// <summary>Where a row is: its file and its line or index.</summary>
public readonly record struct RowPosition(string File, long Number, RowNumbering Numbering)
{
    /// <summary><c>file:line</c> for line-numbered rows, <c>file row index</c> otherwise.</summary>
    public override string ToString() => Numbering == RowNumbering.Line
        ? $"{File}:{Number.ToString(CultureInfo.InvariantCulture)}"
        : $"{File} row {Number.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>One cell: a scalar as text, or a list of scalars as texts (e.g. the <c>choices</c> column of cais/mmlu).</summary>
public sealed record RawValue(string? Text, IReadOnlyList<string>? Items)
{
    /// <summary>A scalar cell.</summary>
    public static RawValue Of(string text) => new(text, null);

    /// <summary>A list cell.</summary>
    public static RawValue List(IReadOnlyList<string> items) => new(null, items);
}

/// <summary>One row as read from a table file, with cells keyed by the file's own column names; null cells are absent.</summary>
public sealed record RawRow(RowPosition Position, IReadOnlyDictionary<string, RawValue> Cells);

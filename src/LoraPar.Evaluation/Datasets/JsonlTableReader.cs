using System.Text.Json;
using LoraPar.Core;

namespace LoraPar.Evaluation.Datasets;

/// <summary>Reads JSON Lines: one object per line, blank lines skipped; rows are numbered by their 1-based line.</summary>
internal static class JsonlTableReader
{
    public static IReadOnlyList<RawRow> Read(Stream stream, string path)
    {
        var rows = new List<RawRow>();
        using var reader = new StreamReader(stream);
        var lineNumber = 0L;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var position = new RowPosition(path, lineNumber, RowNumbering.Line);
            rows.Add(new RawRow(position, ParseObject(line, position)));
        }
        return rows;
    }

    private static IReadOnlyDictionary<string, RawValue> ParseObject(string line, RowPosition position)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new BadInputException($"{position}: expected a JSON object, found {document.RootElement.ValueKind}; each line of a JSONL file is one object");
            return JsonCells.Of(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{position}: not valid JSON ({e.Message}); each line of a JSONL file must be one JSON object", e);
        }
    }
}

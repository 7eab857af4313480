using System.Text.Json;
using LoraPar.Core;

namespace LoraPar.Evaluation.Datasets;

/// <summary>
/// Reads a JSON dump: a top-level array of objects, or an object whose <c>data</c> member is that array.
/// Rows are numbered by their 0-based index in the array.
/// </summary>
internal static class JsonTableReader
{
    public static IReadOnlyList<RawRow> Read(Stream stream, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}: not valid JSON ({e.Message}); expected an array of objects or {{\"data\": [...]}}", e);
        }
        using (document)
        {
            var array = RowsOf(document.RootElement, path);
            var rows = new List<RawRow>();
            var index = 0L;
            foreach (var element in array.EnumerateArray())
            {
                var position = new RowPosition(path, index++, RowNumbering.Index);
                if (element.ValueKind != JsonValueKind.Object)
                    throw new BadInputException($"{position}: expected a JSON object, found {element.ValueKind}");
                rows.Add(new RawRow(position, JsonCells.Of(element)));
            }
            return rows;
        }
    }

    private static JsonElement RowsOf(JsonElement root, string path)
    {
        if (root.ValueKind == JsonValueKind.Array) return root;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            return data;
        throw new BadInputException(
            $"{path}: expected a JSON array of rows or an object with a \"data\" array, found {root.ValueKind}; " +
            "convert the file to JSONL or to one of these layouts");
    }
}

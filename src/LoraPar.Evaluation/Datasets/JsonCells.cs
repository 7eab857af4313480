using System.Text.Json;

namespace LoraPar.Evaluation.Datasets;

/// <summary>Turns a JSON object into the cells of a <see cref="RawRow"/>.</summary>
internal static class JsonCells
{
    /// <summary>The cells of <paramref name="obj"/>: strings as they are, numbers and booleans as their JSON text, arrays as lists, nulls left out.</summary>
    public static IReadOnlyDictionary<string, RawValue> Of(JsonElement obj)
    {
        var cells = new Dictionary<string, RawValue>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null) continue;
            cells[property.Name] = property.Value.ValueKind == JsonValueKind.Array
                ? RawValue.List(property.Value.EnumerateArray().Select(Scalar).ToList())
                : RawValue.Of(Scalar(property.Value));
        }
        return cells;
    }

    private static string Scalar(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Null => "",
        _ => element.GetRawText(),
    };
}

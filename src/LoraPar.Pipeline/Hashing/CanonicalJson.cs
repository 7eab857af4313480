using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LoraPar.Pipeline.Manifest;

namespace LoraPar.Pipeline.Hashing;

/// <summary>
/// One spelling per JSON value: object keys sorted ordinally, no whitespace, integers as integers, floats in shortest
/// round-trip form with a decimal point. Equal settings always give equal bytes, so equal stage keys.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The canonical text of <paramref name="node"/>.</summary>
    public static string Serialize(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (!first) text.Append(',');
                    first = false;
                    text.Append(JsonSerializer.Serialize(key)).Append(':');
                    Write(text, value);
                }
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) text.Append(',');
                    Write(text, array[i]);
                }
                text.Append(']');
                break;
            case JsonValue value:
                WriteValue(text, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder text, JsonValue value)
    {
        if (value.TryGetValue<double>(out var d) && value.GetValueKind() == JsonValueKind.Number && !value.TryGetValue<long>(out _))
            text.Append(ManifestJson.FormatDouble(d));
        else
            text.Append(value.ToJsonString());
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using LoraPar.Pipeline.Hashing;
using LoraPar.Pipeline.Manifest;

namespace LoraPar.Pipeline.Reporting;

/// <summary>Whether a run's manifest has the values a baseline cell asks for (dotted paths, or <c>name</c>; numbers within 1e-9).</summary>
public static class RunMatcher
{
    /// <summary>True when every (path, value) of <paramref name="match"/> holds for <paramref name="manifest"/>.</summary>
    public static bool Matches(PipelineManifest manifest, IEnumerable<KeyValuePair<string, JsonNode>> match)
    {
        var json = ManifestJson.ToJson(manifest);
        foreach (var (path, expected) in match)
        {
            JsonNode? actual = json;
            foreach (var part in path.Split('.')) actual = actual is JsonObject o ? o[part] : null;
            if (!SameValue(actual, expected)) return false;
        }
        return true;
    }

    private static bool SameValue(JsonNode? actual, JsonNode expected)
    {
        if (actual is null) return false;
        if (actual is JsonValue a && expected is JsonValue e && a.GetValueKind() == JsonValueKind.Number && e.GetValueKind() == JsonValueKind.Number)
            return Math.Abs(ToDouble(a) - ToDouble(e)) < 1e-9;
        return CanonicalJson.Serialize(actual) == CanonicalJson.Serialize(expected);
    }

    private static double ToDouble(JsonValue value) => value.TryGetValue<long>(out var l) ? l : value.GetValue<double>();
}

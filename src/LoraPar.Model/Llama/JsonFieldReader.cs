using System.Text.Json;

namespace LoraPar.Model.Llama;

/// <summary>
/// Typed reads of a JSON object's fields that collect "key: message" problems instead of stopping at the first one,
/// so a config error report lists everything wrong at once.
/// </summary>
internal sealed class JsonFieldReader(JsonElement root, string prefix = "", List<string>? problems = null)
{
    public JsonElement Root { get; } = root;
    public List<string> Problems { get; } = problems ?? [];

    public T Fail<T>(string problem, T fallback)
    {
        Problems.Add(problem);
        return fallback;
    }

    public int Int(string key, int fallback) => OptionalInt(key) ?? fallback;

    public int? OptionalInt(string key)
    {
        if (!Root.TryGetProperty(key, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v)) return v;
        return Fail<int?>($"{prefix}{key}: expected an integer, got {e.GetRawText()}", null);
    }

    public double Double(string key, double fallback)
    {
        if (!Root.TryGetProperty(key, out var e) || e.ValueKind == JsonValueKind.Null) return fallback;
        if (e.ValueKind == JsonValueKind.Number) return e.GetDouble();
        return Fail($"{prefix}{key}: expected a number, got {e.GetRawText()}", fallback);
    }

    public bool Bool(string key, bool fallback)
    {
        if (!Root.TryGetProperty(key, out var e) || e.ValueKind == JsonValueKind.Null) return fallback;
        if (e.ValueKind is JsonValueKind.True or JsonValueKind.False) return e.GetBoolean();
        return Fail($"{prefix}{key}: expected true or false, got {e.GetRawText()}", fallback);
    }

    public string? Text(string key, string? fallback)
    {
        if (!Root.TryGetProperty(key, out var e) || e.ValueKind == JsonValueKind.Null) return fallback;
        if (e.ValueKind == JsonValueKind.String) return e.GetString();
        return Fail($"{prefix}{key}: expected a string, got {e.GetRawText()}", fallback);
    }

    /// <summary>An integer or a list of integers (HF writes <c>eos_token_id</c> either way); empty when absent.</summary>
    public IReadOnlyList<int> IntOrList(string key)
    {
        if (!Root.TryGetProperty(key, out var e) || e.ValueKind == JsonValueKind.Null) return [];
        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var single)) return [single];
        if (e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out _)))
            return e.EnumerateArray().Select(x => x.GetInt32()).ToList();
        return Fail<IReadOnlyList<int>>($"{prefix}{key}: expected an integer or a list of integers, got {e.GetRawText()}", []);
    }

    /// <summary>Every field whose key is not in <paramref name="modelled"/>, cloned so it outlives the document.</summary>
    public IReadOnlyDictionary<string, JsonElement> Unmodelled(IReadOnlySet<string> modelled) =>
        Root.EnumerateObject().Where(p => !modelled.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.Clone());
}

using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using LoraPar.Core.Settings;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest;

/// <summary>
/// The manifest as a JSON tree whose keys are the TOML keys (snake_case) and whose enum values are the TOML spellings
/// (kebab-case). Stage keys hash a canonical subtree of it; the dry run prints it as TOML.
/// </summary>
public static class ManifestJson
{
    /// <summary>
    /// Fields that never change what a stage computes, so they are removed from every subtree that is hashed:
    /// the run name, where artifacts live, console verbosity and progress display, the report title, the base model's Hub id
    /// (only exports name it), MKL's code path and the thread count (like the CPU, recorded in stage.json instead), the checkpoint cadence
    /// (<c>checkpoint_minutes</c> and the training stages' step cadence: a resumed stage equals an uninterrupted one, so how
    /// often it saved never changes the result), the executor (a stage computed on Slurm equals one computed locally), and gradient checkpointing (recomputed layers give
    /// the same gradients).
    /// </summary>
    public static IReadOnlyList<string> CosmeticFields { get; } =
    [
        "name", "artifacts", "log_level", "progress", "report.title", "mkl_path", "threads", "executor", "model.hub_id", "checkpoint_minutes",
        "sft.checkpoint_every", "sft.keep_checkpoints", "rl.checkpoint_every", "rl.keep_checkpoints",
        "importance.gradient_checkpointing", "sft.gradient_checkpointing", "rl.gradient_checkpointing",
    ];

    /// <summary>The whole manifest. With <paramref name="includePaths"/> false, path values are left out (their file bytes are hashed instead).</summary>
    public static JsonObject ToJson(PipelineManifest manifest, bool includePaths = true) =>
        (JsonObject)Convert(manifest, includePaths)!;

    /// <summary>
    /// The subtree a stage reads: each dotted path (<c>partition.alpha</c>, <c>lora</c>, <c>seed</c>) copied into a new object at
    /// the same place, cosmetic fields and paths removed. An unknown path throws (a stage declared a key the manifest lacks).
    /// </summary>
    public static JsonObject Select(PipelineManifest manifest, IEnumerable<string> paths)
    {
        var source = ToJson(manifest, includePaths: false);
        foreach (var cosmetic in CosmeticFields) Remove(source, cosmetic);
        var result = new JsonObject();
        foreach (var path in paths.Distinct().OrderBy(p => p, StringComparer.Ordinal))
        {
            var parts = path.Split('.');
            var value = Navigate(source, parts);
            if (value is null && !IsKnownPath(manifest, parts)) throw new ArgumentException($"the manifest has no value '{path}'", nameof(paths));
            if (value is null) continue;
            var target = result;
            foreach (var part in parts[..^1]) target = (JsonObject)(target[part] ??= new JsonObject());
            target[parts[^1]] = value.DeepClone();
        }
        return result;
    }

    /// <summary>The value at a dotted path of the full manifest JSON, or null.</summary>
    public static JsonNode? Get(PipelineManifest manifest, string path) => Navigate(ToJson(manifest), path.Split('.'));

    /// <summary>The manifest printed as TOML (top-level keys, then one [table] per section).</summary>
    public static string ToToml(PipelineManifest manifest)
    {
        var text = new System.Text.StringBuilder();
        var root = ToJson(manifest);
        WriteTable(text, root, "");
        return text.ToString();
    }

    /// <summary>One table of <see cref="ToJson"/> printed as TOML under <c>[prefix]</c> (sub-tables as <c>[prefix.name]</c>); used by <c>lorapar init</c>.</summary>
    public static string TableToToml(JsonObject table, string prefix)
    {
        var text = new System.Text.StringBuilder();
        WriteTable(text, table, prefix);
        return text.ToString();
    }

    private static void WriteTable(System.Text.StringBuilder text, JsonObject table, string prefix)
    {
        foreach (var (key, value) in table.Where(kv => kv.Value is not JsonObject))
            text.Append(key).Append(" = ").AppendLine(TomlValue(value));
        foreach (var (key, value) in table.Where(kv => kv.Value is JsonObject))
        {
            var name = prefix.Length == 0 ? key : $"{prefix}.{key}";
            text.AppendLine().Append('[').Append(name).AppendLine("]");
            WriteTable(text, (JsonObject)value!, name);
        }
    }

    private static string TomlValue(JsonNode? node) => node switch
    {
        JsonArray array => "[" + string.Join(", ", array.Select(TomlValue)) + "]",
        JsonObject table => "{ " + string.Join(", ", table.Select(kv => $"{kv.Key} = {TomlValue(kv.Value)}")) + " }",
        JsonValue v when v.TryGetValue<string>(out var s) => Toml.TomlString.Quote(s),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<double>(out var d) => FormatDouble(d),
        _ => node?.ToJsonString() ?? "\"\"",
    };

    /// <summary>A double in TOML/JSON form that always reads back as a float (1 → 1.0).</summary>
    internal static string FormatDouble(double d)
    {
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') || s.Contains("Infinity") || s.Contains("NaN") ? s : s + ".0";
    }

    private static JsonNode? Convert(object? value, bool includePaths) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create((long)i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        Enum e => JsonValue.Create(KebabCase.From(e.ToString())),
        ManifestPath p => includePaths ? JsonValue.Create(p.Raw) : null,
        ISettingText t => JsonValue.Create(t.SettingText),
        TimeSpan span => JsonValue.Create(span.TotalSeconds),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(x => Convert(x, includePaths)).ToArray()),
        _ => ConvertRecord(value, includePaths),
    };

    private static JsonObject ConvertRecord(object record, bool includePaths)
    {
        var obj = new JsonObject();
        AddProperties(obj, record, includePaths);
        return obj;
    }

    /// <summary>Adds a record's settable properties; an inline nested record's keys go in the same object, as in TOML.</summary>
    private static void AddProperties(JsonObject obj, object record, bool includePaths)
    {
        foreach (var property in SettingsBinder.SettableProperties(record.GetType()))
        {
            var value = property.GetValue(record);
            if (SettingsBinder.IsInline(property) && value is not null) { AddProperties(obj, value, includePaths); continue; }
            var node = Convert(value, includePaths);
            if (node is not null) obj[SettingsBinder.KeyOf(property)] = node;
        }
    }

    private static JsonNode? Navigate(JsonObject root, IEnumerable<string> parts)
    {
        JsonNode? node = root;
        foreach (var part in parts) node = node is JsonObject obj ? obj[part] : null;
        return node;
    }

    private static bool IsKnownPath(PipelineManifest manifest, string[] parts)
    {
        var type = manifest.GetType();
        foreach (var part in parts)
        {
            var property = FindProperty(type, part);
            if (property is null) return false;
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }
        return true;
    }

    private static PropertyInfo? FindProperty(Type type, string key)
    {
        foreach (var property in SettingsBinder.SettableProperties(type))
        {
            if (SettingsBinder.KeyOf(property) == key) return property;
            if (SettingsBinder.IsInline(property) && FindProperty(property.PropertyType, key) is { } inner) return inner;
        }
        return null;
    }

    private static void Remove(JsonObject root, string path)
    {
        var parts = path.Split('.');
        if (Navigate(root, parts[..^1]) is JsonObject parent) parent.Remove(parts[^1]);
    }
}

using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LoraPar.Core.Settings;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Tests.Manifest;

/// <summary>
/// Generates docs/manifest-reference.md from the schema itself: every section and key of <see cref="PipelineManifest"/> (by
/// reflection over the settings records, as the loader binds them), its type, its default (from a default manifest), its
/// range (what the loader answers when the key is set to -1 and to a huge value) and its meaning (the property's summary in
/// the source).
/// </summary>
internal static partial class ManifestReference
{
    public static string Generate(string repositoryRoot)
    {
        var sources = Directory.GetFiles(Path.Combine(repositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")).Order(StringComparer.Ordinal)
            .Select(File.ReadAllText).ToList();
        var defaults = ManifestJson.ToJson(new PipelineManifest());
        var rows = new List<(string Section, string Key, string Type, string Default, string Range, string Meaning)>();
        using var probe = new Workspace();
        Walk(typeof(PipelineManifest), "", rows, sources, defaults, probe);
        var text = new StringBuilder("# Manifest reference\n\n")
            .Append("Generated from the settings records by `ManifestReference` (tests/LoraPar.Pipeline.Tests); a test fails when this file\n")
            .Append("drifts from the schema — regenerate with `LORAPAR_REGEN=1 dotnet test tests/LoraPar.Pipeline.Tests --filter FullyQualifiedName~ManifestReferenceTests`.\n")
            .Append("Ranges are the loader's own answers to an out-of-range value; \"—\" means it accepts any value of the type.\n");
        foreach (var section in rows.GroupBy(r => r.Section))
        {
            text.Append("\n## ").Append(section.Key.Length == 0 ? "top level" : $"[{section.Key}]").Append("\n\n| key | type | default | range | meaning |\n|---|---|---|---|---|\n");
            foreach (var r in section)
                text.Append($"| `{r.Key}` | {r.Type} | {r.Default} | {r.Range} | {r.Meaning} |\n");
        }
        return text.ToString();
    }

    private static void Walk(Type type, string prefix, List<(string, string, string, string, string, string)> rows, List<string> sources,
        JsonObject defaults, Workspace probe)
    {
        var nested = new List<(PropertyInfo Property, string Path)>();
        foreach (var property in SettingsBinder.SettableProperties(type))
        {
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (SettingsBinder.IsInline(property)) { Walk(propertyType, prefix, rows, sources, defaults, probe); continue; }
            var key = SettingsBinder.KeyOf(property);
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (IsSection(propertyType)) { nested.Add((property, path)); continue; }
            var element = ElementOf(propertyType);
            if (element is not null && IsSection(element))
            {
                rows.Add((prefix, key, "array of tables", "[]", "—", Meaning(property, sources)));
                Walk(element, path + "[]", rows, sources, defaults, probe);
                continue;
            }
            rows.Add((prefix, key, TypeName(propertyType), Default(defaults, path), Range(probe, prefix, key, propertyType), Meaning(property, sources)));
        }
        foreach (var (property, path) in nested)
            Walk(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, path, rows, sources, defaults, probe);
    }

    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(ManifestPath) && !typeof(ISettingText).IsAssignableFrom(type) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static Type? ElementOf(Type type) =>
        type != typeof(string) && type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;

    private static string TypeName(Type type)
    {
        if (ElementOf(type) is { } element) return "list of " + TypeName(element);
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => $"`{KebabCase.From(n)}`"));
        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) => "integer",
            _ when type == typeof(double) => "float",
            _ when type == typeof(bool) => "boolean",
            _ when type == typeof(string) => "string",
            _ when type == typeof(TimeSpan) => "seconds (float)",
            _ when type == typeof(ManifestPath) => "path",
            _ when typeof(ISettingText).IsAssignableFrom(type) => "string or list of strings",
            _ => type.Name,
        };
    }

    private static string Default(JsonObject defaults, string path)
    {
        JsonNode? node = defaults;
        foreach (var part in path.Split('.')) node = node is JsonObject o ? o[part] : null;
        if (path == "artifacts") return "`artifacts/` in the working folder";
        return node is null ? "—" : $"`{Cell(node.ToJsonString())}`";
    }

    /// <summary>The loader's message for -1 and for a huge value of a numeric key (the first that it refuses), else "—".</summary>
    private static string Range(Workspace probe, string section, string key, Type type)
    {
        if (section.Contains("[]") || !(type == typeof(int) || type == typeof(long) || type == typeof(double))) return "—";
        var full = section.Length == 0 ? key : $"{section}.{key}";
        string[] values = type == typeof(double) ? ["-1.0", "1e15"] : ["-1", type == typeof(int) ? "2147483647" : "9223372036854775807"];
        foreach (var value in values)
        {
            var manifest = (section.Length == 0 ? "" : $"[{section}]\n") + $"{key} = {value}\n";
            var diagnostics = ManifestLoaderProbe.Errors(probe, manifest);
            var mine = diagnostics.Where(e => e.Key == full).Select(e => e.Message).FirstOrDefault();
            if (mine is not null) return Cell(Regex.Replace(mine, @"^[-+0-9.eE]+(: | is out of range; | is )", ""));
        }
        return "—";
    }

    private static string Meaning(PropertyInfo property, List<string> sources)
    {
        var declaring = property.DeclaringType!.Name;
        foreach (var source in sources.Where(s => Regex.IsMatch(s, $@"\b(record|class)\s+{declaring}\b")))
        {
            var match = Regex.Match(source, $@"///\s*<summary>(?<doc>(?:(?!</summary>).)*?)</summary>(?:\s*///[^\n]*)*\s*(?:\[[^\]\n]*\]\s*)*public\s+[^\n=]*?\b{property.Name}\s*\{{",
                RegexOptions.Singleline);
            if (match.Success) return Cell(Clean(match.Groups["doc"].Value));
            var parameter = Regex.Match(source, $@"<param name=""{property.Name}"">(?<doc>.*?)</param>", RegexOptions.Singleline);
            if (parameter.Success) return Cell(Clean(parameter.Groups["doc"].Value));
        }
        return "";
    }

    private static string Clean(string doc)
    {
        var text = Regex.Replace(doc, @"\s*///\s*", " ");
        text = Regex.Replace(text, @"<see(?:also)? (?:cref|langword|href)=""(?:[A-Z]:)?([^""]*)""\s*/>", m => $"`{m.Groups[1].Value.Split('.')[^1]}`");
        text = Regex.Replace(text, @"<(?:c|paramref|typeparamref)[^>]*>(.*?)</c>", "`$1`");
        text = Regex.Replace(text, @"<paramref name=""([^""]*)""\s*/>", "`$1`");
        text = Regex.Replace(text, @"<[^>]+>", "");
        return System.Net.WebUtility.HtmlDecode(Regex.Replace(text, @"\s+", " ").Trim());
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}

/// <summary>Loads a probe manifest and returns its errors as (key, message) (none when it loads).</summary>
internal static partial class ManifestLoaderProbe
{
    public static IReadOnlyList<(string Key, string Message)> Errors(Workspace probe, string manifest)
    {
        probe.Write("probe.toml", manifest);
        try
        {
            probe.Load("probe.toml", PathCheckMode.Warnings);
            return [];
        }
        catch (LoraPar.Core.BadInputException e)
        {
            return e.Message.Split('\n').Select(l => Line().Match(l)).Where(m => m.Success)
                .Select(m => (m.Groups["key"].Value, m.Groups["message"].Value)).ToList();
        }
    }

    [GeneratedRegex(@"^\S+:\d+:\d+ (?<key>\S+): (?<message>.*)$")]
    private static partial Regex Line();
}

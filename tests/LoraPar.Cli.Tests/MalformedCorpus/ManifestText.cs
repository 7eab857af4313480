using System.Text.RegularExpressions;

namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>The kind of value a manifest line holds, judged from its spelling.</summary>
public enum ValueKind
{
    Integer,
    Float,
    Boolean,
    String,
    Array,
    Table,
}

/// <summary>One <c>key = value</c> line of a manifest: its index, the table it sits in, and the full key messages name.</summary>
/// <param name="Index">0-based line index.</param>
/// <param name="Section">The table header it follows (<c>""</c> at the top, <c>splitter.teachers</c> for an array of tables).</param>
/// <param name="FullKey">The key as the loader prints it, e.g. <c>splitter.teachers[1].name</c>.</param>
/// <param name="Key">The key as written.</param>
/// <param name="Value">The value as written (without a trailing comment).</param>
/// <param name="Kind">The value's kind.</param>
public sealed record KeyLine(int Index, string Section, string FullKey, string Key, string Value, ValueKind Kind);

/// <summary>A table header line: <c>[name]</c> or <c>[[name]]</c>.</summary>
public sealed record HeaderLine(int Index, string Name, bool IsArray);

/// <summary>
/// A manifest's text as lines, with its key lines and headers recognised (the manifests in <c>experiments/</c> write one key per
/// line and no multi-line values), and edits that each return a new text.
/// </summary>
public sealed partial class ManifestText
{
    private readonly string[] _lines;

    /// <summary>Splits and recognises <paramref name="text"/>.</summary>
    public ManifestText(string text)
    {
        _lines = text.Replace("\r", "").Split('\n');
        var section = "";
        var arrayCounts = new Dictionary<string, int>();
        var keys = new List<KeyLine>();
        var headers = new List<HeaderLine>();
        for (var i = 0; i < _lines.Length; i++)
        {
            if (Header().Match(_lines[i]) is { Success: true } h)
            {
                var isArray = h.Groups[1].Value == "[[";
                section = h.Groups[2].Value.Trim();
                headers.Add(new HeaderLine(i, section, isArray));
                if (isArray) arrayCounts[section] = arrayCounts.GetValueOrDefault(section, -1) + 1;
                continue;
            }
            if (KeyValue().Match(_lines[i]) is not { Success: true } kv) continue;
            var value = StripComment(kv.Groups[2].Value.Trim());
            var prefix = arrayCounts.TryGetValue(section, out var n) && headers[^1].IsArray ? $"{section}[{n}]" : section;
            var key = kv.Groups[1].Value;
            keys.Add(new KeyLine(i, section, prefix.Length == 0 ? key : $"{prefix}.{key}", key, value, KindOf(value)));
        }
        Keys = keys;
        Headers = headers;
    }

    /// <summary>The key lines in order.</summary>
    public IReadOnlyList<KeyLine> Keys { get; }

    /// <summary>The header lines in order.</summary>
    public IReadOnlyList<HeaderLine> Headers { get; }

    /// <summary>Line <paramref name="index"/>.</summary>
    public string Line(int index) => _lines[index];

    /// <summary>The text with line <paramref name="index"/> replaced by <paramref name="line"/> (which may hold several lines).</summary>
    public string ReplaceLine(int index, string line) => Join(_lines.Take(index).Append(line).Concat(_lines.Skip(index + 1)));

    /// <summary>The text with <paramref name="line"/> inserted before line <paramref name="index"/>.</summary>
    public string InsertBefore(int index, string line) => Join(_lines.Take(index).Append(line).Concat(_lines.Skip(index)));

    /// <summary>The text with <paramref name="lines"/> added at the end.</summary>
    public string Append(string lines) => Join(_lines) + "\n" + lines + "\n";

    /// <summary>The text with a key line's value replaced.</summary>
    public string WithValue(KeyLine key, string value) => ReplaceLine(key.Index, $"{key.Key} = {value}");

    /// <summary>
    /// The text with <paramref name="section"/>.<paramref name="key"/> set to <paramref name="value"/>: the existing line replaced,
    /// or a line added under the section's header, or the section appended (top-level keys go first).
    /// </summary>
    public string WithKey(string section, string key, string value)
    {
        if (Keys.FirstOrDefault(k => k.Section == section && k.Key == key) is { } existing) return WithValue(existing, value);
        if (section.Length == 0) return InsertBefore(0, $"{key} = {value}");
        if (Headers.FirstOrDefault(h => h.Name == section && !h.IsArray) is { } header) return InsertBefore(header.Index + 1, $"{key} = {value}");
        return Join(_lines) + $"\n[{section}]\n{key} = {value}\n";
    }

    private static string StripComment(string value)
    {
        if (value.StartsWith('"')) return value[..(value.IndexOf('"', 1) + 1)];
        var hash = value.IndexOf('#');
        return hash < 0 ? value : value[..hash].TrimEnd();
    }

    private static ValueKind KindOf(string value) => value switch
    {
        "true" or "false" => ValueKind.Boolean,
        _ when value.StartsWith('"') => ValueKind.String,
        _ when value.StartsWith('[') => ValueKind.Array,
        _ when value.StartsWith('{') => ValueKind.Table,
        _ when IntegerLiteral().IsMatch(value) => ValueKind.Integer,
        _ => ValueKind.Float,
    };

    private static string Join(IEnumerable<string> lines) => string.Join('\n', lines);

    [GeneratedRegex(@"^\s*(\[\[?)([^\]]+)\]\]?\s*(#.*)?$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^\s*([A-Za-z0-9_-]+)\s*=\s*(.+)$")]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"^[+-]?[0-9][0-9_]*$")]
    private static partial Regex IntegerLiteral();
}

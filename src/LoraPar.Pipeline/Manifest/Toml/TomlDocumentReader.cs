using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>
/// Parses TOML text with Tomlyn's lossless syntax tree and turns it into a <see cref="TomlTableNode"/> whose every key and value
/// keeps its <c>file:line:col</c>. Syntax errors go to the diagnostics (all of them, each with its position).
/// </summary>
public static class TomlDocumentReader
{
    /// <summary>The largest manifest file read (the largest in experiments/ is about 5 KiB); Tomlyn takes seconds per megabyte.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Reads a file; null (with errors recorded) when it is missing, a folder, unreadable, not UTF-8 or not TOML.</summary>
    public static TomlTableNode? ReadFile(string path, string displayName, ManifestDiagnostics diagnostics, SourceLocation? referencedFrom = null)
    {
        var at = referencedFrom ?? new SourceLocation(displayName, 1, 1);
        var key = referencedFrom is null ? "" : "extends";
        if (Directory.Exists(path))
        {
            diagnostics.Error(at, key, $"expected a manifest file, found a folder: {path}");
            return null;
        }
        if (!File.Exists(path))
        {
            diagnostics.Error(at, key, $"file not found: {path}");
            return null;
        }
        if (ReadBounded(path, at, key, diagnostics) is not { } bytes) return null;
        if (ManifestBytes.Decode(bytes, out var line, out var column) is not { } text)
        {
            diagnostics.Error(new SourceLocation(displayName, line, column), "", "invalid TOML: the file is not UTF-8 text");
            return null;
        }
        return Read(text, displayName, diagnostics);
    }

    /// <summary>The file's bytes, or null (error recorded) when it cannot be read or is larger than <see cref="MaxBytes"/>.</summary>
    private static byte[]? ReadBounded(string path, SourceLocation at, string key, ManifestDiagnostics diagnostics)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var buffer = new byte[MaxBytes + 1];
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (length <= MaxBytes) return buffer[..length];
            diagnostics.Error(at, key, $"{path} is larger than {MaxBytes / 1024} KiB; a manifest is a short text file");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Error(at, key, $"cannot read {path}: {OneLine(e.Message)}");
            return null;
        }
    }

    /// <summary>
    /// Parses TOML text; null (with errors recorded) when it has syntax errors, nests deeper than <see cref="NestingDepth.Max"/>,
    /// or makes the parser throw (any parser exception is bad input, reported at the top of the file).
    /// </summary>
    public static TomlTableNode? Read(string text, string displayName, ManifestDiagnostics diagnostics)
    {
        if (NestingDepth.FirstTooDeep(text) is var deep and >= 0)
        {
            diagnostics.Error(At(displayName, text, deep), "", $"invalid TOML: arrays and inline tables nested deeper than {NestingDepth.Max} levels");
            return null;
        }
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, displayName, validate: true);
        }
        catch (Exception e)
        {
            // Tomlyn throws for some inputs instead of reporting a diagnostic; to the user that is still a bad manifest.
            diagnostics.Error(new SourceLocation(displayName, 1, 1), "", $"invalid TOML: {OneLine(e.Message)}");
            return null;
        }
        if (document.HasErrors)
        {
            foreach (var message in document.Diagnostics)
            {
                if (message.Kind != DiagnosticMessageKind.Error) continue;
                diagnostics.Error(At(displayName, message.Span.Start), "", $"invalid TOML: {OneLine(message.Message)}");
            }
            return null;
        }
        var root = new TomlTableNode(new SourceLocation(displayName, 1, 1));
        foreach (var keyValue in document.KeyValues) AddKeyValue(root, keyValue, displayName);
        foreach (var table in document.Tables) AddTable(root, table, displayName);
        return root;
    }

    private static void AddTable(TomlTableNode root, TableSyntaxBase table, string file)
    {
        var parts = KeyParts(table.Name!, file);
        var parent = Descend(root, parts.SkipLast(1), file);
        var (name, location) = parts[^1];
        var body = new TomlTableNode(location);
        if (table is TableArraySyntax)
        {
            var existing = parent.Find(name)?.Value as TomlArrayNode;
            var items = existing?.Items.ToList() ?? [];
            items.Add(body);
            parent.Set(new TomlEntry(name, existing is null ? location : parent.Find(name)!.KeyLocation, new TomlArrayNode(items, location)));
        }
        else if (parent.Find(name)?.Value is TomlTableNode implicitlyCreated)
        {
            body = implicitlyCreated;
        }
        else
        {
            parent.Set(new TomlEntry(name, location, body));
        }
        foreach (var keyValue in table.Items) AddKeyValue(body, keyValue, file);
    }

    private static void AddKeyValue(TomlTableNode table, KeyValueSyntax keyValue, string file)
    {
        var parts = KeyParts(keyValue.Key!, file);
        var parent = Descend(table, parts.SkipLast(1), file);
        var (name, location) = parts[^1];
        parent.Set(new TomlEntry(name, location, Convert(keyValue.Value!, file)));
    }

    /// <summary>Walks (creating as needed) the tables named by dotted-key prefixes; the last element of an array of tables is used.</summary>
    private static TomlTableNode Descend(TomlTableNode table, IEnumerable<(string Name, SourceLocation Location)> path, string file)
    {
        foreach (var (name, location) in path)
        {
            var next = table.Find(name)?.Value switch
            {
                TomlTableNode t => t,
                TomlArrayNode { Items.Count: > 0 } a when a.Items[^1] is TomlTableNode last => last,
                _ => null,
            };
            if (next is null)
            {
                next = new TomlTableNode(location);
                table.Set(new TomlEntry(name, location, next));
            }
            table = next;
        }
        return table;
    }

    private static List<(string Name, SourceLocation Location)> KeyParts(KeySyntax key, string file)
    {
        var parts = new List<(string, SourceLocation)> { (KeyText(key.Key!), At(file, key.Key!.Span.Start)) };
        if (key.DotKeys is { } dots)
            foreach (var dot in dots) parts.Add((KeyText(dot.Key!), At(file, dot.Key!.Span.Start)));
        return parts;
    }

    private static string KeyText(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key!.Text!,
        StringValueSyntax quoted => quoted.Value!,
        _ => key.ToString()!.Trim(),
    };

    private static TomlNode Convert(ValueSyntax value, string file)
    {
        var at = At(file, value.Span.Start);
        return value switch
        {
            StringValueSyntax s => new TomlScalar(s.Value!, at),
            IntegerValueSyntax i => new TomlScalar(i.Value, at),
            FloatValueSyntax f => new TomlScalar(f.Value, at),
            BooleanValueSyntax b => new TomlScalar(b.Value, at),
            DateTimeValueSyntax d => new TomlScalar(d.Value, at),
            ArraySyntax a => new TomlArrayNode(a.Items.Select(item => Convert(item.Value!, file)).ToList(), at),
            InlineTableSyntax t => ConvertInline(t, file, at),
            _ => new TomlScalar(value.ToString()!.Trim(), at),
        };
    }

    private static TomlTableNode ConvertInline(InlineTableSyntax inline, string file, SourceLocation at)
    {
        var table = new TomlTableNode(at);
        foreach (var item in inline.Items) AddKeyValue(table, item.KeyValue!, file);
        return table;
    }

    private static SourceLocation At(string file, TextPosition position) => new(file, position.Line + 1, position.Column + 1);

    private static SourceLocation At(string file, string text, int index)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        return new SourceLocation(file, text.AsSpan(0, index).Count('\n') + 1, index - lineStart + 1);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}

namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>Broken TOML made from a manifest's own lines: every case must be reported as invalid TOML at a position.</summary>
public static class SyntaxMutations
{
    private delegate string? Mutation(ManifestText text, Random rng);

    private static readonly (string Name, Mutation Apply)[] All =
    [
        ("header without its closing bracket", (t, r) => OnHeader(t, r, h => h.IsArray ? $"[[{h.Name}]" : $"[{h.Name}")),
        ("header repeated", (t, r) => OnHeader(t, r, h => h.IsArray ? null : $"[{h.Name}]\n[{h.Name}]", arrays: false)),
        ("key repeated", (t, r) => OnKey(t, r, k => $"{k.Key} = {k.Value}\n{k.Key} = {k.Value}")),
        ("value missing", (t, r) => OnKey(t, r, k => $"{k.Key} =")),
        ("'=' missing", (t, r) => OnKey(t, r, k => $"{k.Key} {k.Value}")),
        ("bare word as value", (t, r) => OnKey(t, r, k => $"{k.Key} = oops")),
        ("unterminated string", (t, r) => OnKey(t, r, k => k.Kind == ValueKind.String ? $"{k.Key} = {k.Value[..^1]}" : $"{k.Key} = \"{k.Value}")),
        ("invalid escape in a string", (t, r) => OnKey(t, r, k => $"{k.Key} = \"a\\qb\"")),
        ("control character in a string", (t, r) => OnKey(t, r, k => $"{k.Key} = \"a\u0001b\"")),
        ("unclosed array", (t, r) => OnKey(t, r, k => $"{k.Key} = [1, 2")),
        ("inline table with a trailing comma", (t, r) => OnKey(t, r, k => $"{k.Key} = {{ a = 1, }}")),
        ("key with a space", (t, r) => OnKey(t, r, k => $"{k.Key} x = {k.Value}")),
        ("stray punctuation line", (t, r) => t.InsertBefore(r.Next(t.Keys.Count > 0 ? t.Keys[^1].Index + 1 : 1), "@@@ ;;")),
        ("impossible date", (t, r) => OnKey(t, r, k => $"{k.Key} = 1979-13-45")),
        ("number with a double sign", (t, r) => OnKey(t, r, k => $"{k.Key} = --5")),
        ("leading zero", (t, r) => OnKey(t, r, k => $"{k.Key} = 007")),
        ("dotted key redefining a value as a table", (t, r) => OnKey(t, r, k => $"{k.Key} = {k.Value}\n{k.Key}.x = 1")),
    ];

    /// <summary><paramref name="count"/> syntax errors drawn for <paramref name="m"/>.</summary>
    public static IEnumerable<CorpusCase> For(CorpusManifest m, int count, Random rng)
    {
        foreach (var (name, apply) in Typos.Pick(All, count, rng))
        {
            if (apply(m.Text, rng) is { } text) yield return m.Case(name, CorpusCategory.Syntax, text);
        }
    }

    private static string? OnKey(ManifestText t, Random rng, Func<KeyLine, string?> line)
    {
        if (t.Keys.Count == 0) return null;
        var key = t.Keys[rng.Next(t.Keys.Count)];
        return line(key) is { } replaced ? t.ReplaceLine(key.Index, replaced) : null;
    }

    private static string? OnHeader(ManifestText t, Random rng, Func<HeaderLine, string?> line, bool arrays = true)
    {
        var headers = t.Headers.Where(h => arrays || !h.IsArray).ToList();
        if (headers.Count == 0) return null;
        var header = headers[rng.Next(headers.Count)];
        return line(header) is { } replaced ? t.ReplaceLine(header.Index, replaced) : null;
    }
}

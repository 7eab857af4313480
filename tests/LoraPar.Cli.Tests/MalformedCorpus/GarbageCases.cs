using System.Text;

namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>Files that are not TOML at all: seeded random bytes and text, truncations, wrong encodings, and megabyte-sized inputs.</summary>
public static class GarbageCases
{
    private const int Megabyte = 1 << 20;

    /// <summary>Garbage given directly, and garbage over a base that other manifests extend.</summary>
    public static IEnumerable<CorpusCase> For(IReadOnlyList<CorpusManifest> manifests, Random rng)
    {
        foreach (var size in new[] { 1, 17, 256, 4096, 65536 })
            yield return File($"{size} random bytes", RandomBytes(size, rng));
        foreach (var size in new[] { 64, 4096 })
            yield return File($"{size} random printable characters", RandomText(size, rng));
        yield return File("1 MB of random bytes", RandomBytes(Megabyte, rng));
        yield return File("1 MB of random printable characters", RandomText(Megabyte, rng));
        yield return File("1 MB of a repeated key", Repeat("x = 1\n", Megabyte));
        yield return File("1 MB of one unterminated string", Encoding.UTF8.GetBytes("name = \"" + new string('a', Megabyte)));
        yield return File("1 MB of opening brackets", Repeat("[", Megabyte));
        yield return File("NUL bytes", new byte[512]);
        yield return File("invalid UTF-8 in a string", [.. "name = \""u8, 0xFF, 0xFE, 0xC3, .. "\"\n"u8]);
        var quickstart = manifests.First(m => m.Short == "quickstart.toml");
        var text = System.IO.File.ReadAllText(Path.Combine(CorpusTree.Root, quickstart.Path));
        yield return File("a manifest in UTF-16 without a byte-order mark", Encoding.Unicode.GetBytes(text));
        foreach (var fraction in new[] { 0.13, 0.37, 0.61, 0.89 })
        {
            var cut = TruncationPoint(text, fraction);
            if (cut is not null) yield return quickstart.Case($"truncated at character {cut}", CorpusCategory.Garbage, text[..cut.Value]);
        }
        foreach (var child in manifests.Where(m => m.Extends && m.Path.StartsWith("experiments/paper/table4/", StringComparison.Ordinal)).Take(3))
        {
            var files = new Dictionary<string, byte[]> { ["experiments/paper/base.toml"] = RandomBytes(2048, rng) };
            yield return new CorpusCase($"{child.Short}: its base is random bytes", CorpusCategory.Garbage, child.Path, files, ["base.toml:"]);
        }
    }

    /// <summary>
    /// Where cutting <paramref name="text"/> at about <paramref name="fraction"/> leaves broken TOML (inside a string or a
    /// header, not a comment: a cut inside a comment is valid TOML), or null.
    /// </summary>
    private static int? TruncationPoint(string text, double fraction)
    {
        for (var i = (int)(text.Length * fraction); i < text.Length; i++)
            if (text[i] is '"' or '[' && i + 2 < text.Length && char.IsLetter(text[i + 1]) && !InComment(text, i)) return i + 2;
        return null;
    }

    /// <summary>Whether a '#' comes before position <paramref name="i"/> on its line.</summary>
    private static bool InComment(string text, int i)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, i - 1)) + 1;
        return text.AsSpan(lineStart, i - lineStart).Contains('#');
    }

    private static CorpusCase File(string name, byte[] bytes)
    {
        var path = $"experiments/garbage/{name.Replace(' ', '-')}.toml";
        return new CorpusCase(name, CorpusCategory.Garbage, path, new Dictionary<string, byte[]> { [path] = bytes }, []);
    }

    /// <summary>Random bytes whose first is not TOML whitespace or '#': one such byte alone is an empty, valid manifest.</summary>
    private static byte[] RandomBytes(int size, Random rng)
    {
        var bytes = new byte[size];
        rng.NextBytes(bytes);
        while (bytes[0] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'#') bytes[0] = (byte)rng.Next(256);
        return bytes;
    }

    /// <summary>Printable ASCII that does not open with a comment ('#'), which would make the whole line valid TOML.</summary>
    private static byte[] RandomText(int size, Random rng) =>
        Enumerable.Range(0, size).Select(i => (byte)(i == 0 ? rng.Next(36, 127) : rng.Next(32, 127))).ToArray();

    private static byte[] Repeat(string unit, int size) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(unit, size / unit.Length)));
}

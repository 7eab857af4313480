using System.Text;

namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary><c>extends</c> chains that cannot be resolved: missing bases, cycles of one, two and three files, and bases that are not manifests.</summary>
public static class ExtendsCases
{
    /// <summary>Extends cases for <paramref name="m"/>.</summary>
    public static IEnumerable<CorpusCase> For(CorpusManifest m, Random rng)
    {
        var name = Path.GetFileName(m.Path);
        if (m.Text.Keys.FirstOrDefault(k => k is { Section: "", Key: "extends" }) is { } extends)
        {
            var relative = extends.Value.Trim('"');
            var missing = relative.Contains("base", StringComparison.Ordinal)
                ? relative.Replace("base", Typos.Of("base", rng), StringComparison.Ordinal)
                : relative.Replace(".toml", "-missing.toml", StringComparison.Ordinal);   // e.g. extends = "quickstart.toml"
            yield return m.Case($"extends {missing}, which is missing", CorpusCategory.Extends,
                m.Text.WithValue(extends, $"\"{missing}\""), "extends:", "not found");
            var basePath = Normalize(Path.Combine(Path.GetDirectoryName(m.Path)!, relative));
            var backToChild = Path.GetRelativePath(Path.GetDirectoryName(basePath)!, m.Path).Replace('\\', '/');
            var baseText = new ManifestText(File.ReadAllText(Path.Combine(CorpusTree.Root, basePath)));
            if (rng.Next(2) == 0)
                yield return Files($"{m.Short}: its base extends it back", m.Path, ["extends:", "cycle"],
                    (basePath, baseText.WithKey("", "extends", $"\"{backToChild}\"")));
            if (rng.Next(4) == 0)
                yield return m.Case("extends a folder", CorpusCategory.Extends, m.Text.WithValue(extends, "\".\""), "extends:");
            yield break;
        }
        yield return m.Case("extends itself", CorpusCategory.Extends, m.Text.WithKey("", "extends", $"\"{name}\""), "extends:", "cycle");
        yield return Files($"{m.Short}: a two-file cycle", m.Path, ["extends:", "cycle"],
            (m.Path, m.Text.WithKey("", "extends", "\"cycle-b.toml\"")),
            (Sibling(m, "cycle-b.toml"), $"extends = \"{name}\"\n"));
        yield return Files($"{m.Short}: a three-file cycle", m.Path, ["extends:", "cycle"],
            (m.Path, m.Text.WithKey("", "extends", "\"cycle-b.toml\"")),
            (Sibling(m, "cycle-b.toml"), "extends = \"cycle-c.toml\"\n"),
            (Sibling(m, "cycle-c.toml"), $"extends = \"{name}\"\n"));
        yield return m.Case("extends = 3", CorpusCategory.Extends, m.Text.WithKey("", "extends", "3"), "extends:", "expected");
        yield return m.Case("extends an array", CorpusCategory.Extends, m.Text.WithKey("", "extends", "[\"a.toml\"]"), "extends:", "expected");
        yield return Files($"{m.Short}: extends a base with a syntax error", m.Path, ["broken-base.toml:1:"],
            (m.Path, m.Text.WithKey("", "extends", "\"broken-base.toml\"")),
            (Sibling(m, "broken-base.toml"), "[lora\nrank = 8\n"));
        yield return Files($"{m.Short}: extends a base with an unknown key", m.Path, ["typo-base.toml:2:1 lora.rnak: unknown key"],
            (m.Path, m.Text.WithKey("", "extends", "\"typo-base.toml\"")),
            (Sibling(m, "typo-base.toml"), "[lora]\nrnak = 8\n"));
    }

    private static string Sibling(CorpusManifest m, string name) => Path.GetDirectoryName(m.Path)!.Replace('\\', '/') + "/" + name;

    private static string Normalize(string path) => Path.GetRelativePath(CorpusTree.Root, Path.GetFullPath(path, CorpusTree.Root)).Replace('\\', '/');

    private static CorpusCase Files(string name, string manifest, string[] expect, params (string Path, string Text)[] files) =>
        new(name, CorpusCategory.Extends, manifest, files.ToDictionary(f => f.Path, f => Encoding.UTF8.GetBytes(f.Text)), expect);
}

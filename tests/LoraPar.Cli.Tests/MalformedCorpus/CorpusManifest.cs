using System.Text;

namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>One manifest of <c>experiments/</c> the corpus mutates: its path relative to the copy's root and its text.</summary>
public sealed record CorpusManifest(string Path, ManifestText Text)
{
    /// <summary>The file name without folder, for case names.</summary>
    public string Short => Path["experiments/".Length..];

    /// <summary>A case that writes <paramref name="text"/> over this manifest and runs it.</summary>
    public CorpusCase Case(string mutation, CorpusCategory category, string text, params string[] expect) =>
        new($"{Short}: {mutation}", category, Path, new Dictionary<string, byte[]> { [Path] = Encoding.UTF8.GetBytes(text) }, expect);

    /// <summary>Whether this manifest extends another (its text has a top-level <c>extends</c>).</summary>
    public bool Extends => Text.Keys.Any(k => k is { Section: "", Key: "extends" });
}

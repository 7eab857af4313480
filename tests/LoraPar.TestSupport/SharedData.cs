using Xunit;

namespace LoraPar.TestSupport;

/// <summary>
/// Locates the read-only <c>shared/</c> folder beside the repository (GSM8K train, HumanEval, the LLaMA-2 tokenizer).
/// It is present in CI and may be absent elsewhere: tests that need it call <see cref="Require"/> and are skipped with the reason.
/// </summary>
public static class SharedData
{
    /// <summary>The shared folder, or null when no ancestor of the test binaries has a sibling <c>shared/</c> with DESIGN.md.</summary>
    public static string? Root { get; } = FindRoot();

    /// <summary>Absolute path of <paramref name="relative"/> under shared/, or null when it is absent.</summary>
    public static string? Find(string relative)
    {
        if (Root is null) return null;
        var path = Path.Combine(Root, relative);
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }

    /// <summary>The path of a shared file, or a skip of the calling test naming what is missing.</summary>
    public static string Require(string relative)
    {
        var path = Find(relative);
        Skip.If(path is null, $"shared data '{relative}' is absent (expected ../shared/{relative} next to the repository)");
        return path!;
    }

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (File.Exists(Path.Combine(candidate, "DESIGN.md"))) return candidate;
        }
        return null;
    }
}

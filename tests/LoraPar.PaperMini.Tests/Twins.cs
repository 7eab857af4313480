namespace LoraPar.PaperMini.Tests;

/// <summary>The paper manifests and their miniature twins in the repository (<c>experiments/paper/</c>, <c>experiments/paper-mini/</c>).</summary>
public static class Twins
{
    /// <summary>The repository root (the folder holding LoraPar.slnx) above the test binaries.</summary>
    public static string Repository { get; } = FindRoot();

    /// <summary>The folder of the paper manifests.</summary>
    public static string PaperFolder => Path.Combine(Repository, "experiments", "paper");

    /// <summary>The folder of the twins.</summary>
    public static string MiniFolder => Path.Combine(Repository, "experiments", "paper-mini");

    /// <summary>The paper's baseline tables.</summary>
    public static string Baseline => Path.Combine(Repository, "baselines", "paper.toml");

    /// <summary>Every manifest under <paramref name="folder"/>, relative and with '/' separators, in ordinal order.</summary>
    public static IReadOnlyList<string> Under(string folder) =>
        Directory.GetFiles(folder, "*.toml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LoraPar.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("LoraPar.slnx not found above " + AppContext.BaseDirectory);
    }
}

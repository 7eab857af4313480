namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>
/// A temporary copy of the repository's <c>experiments/</c> and <c>baselines/</c> (so relative paths, <c>extends</c> and
/// <c>artifacts = "../artifacts"</c> resolve inside it), into which each case writes its files and from which they are restored.
/// </summary>
public sealed class CorpusTree : IDisposable
{
    /// <summary>Copies the manifests and baselines into a fresh temporary folder.</summary>
    public CorpusTree()
    {
        foreach (var folder in new[] { "experiments", "baselines" })
        foreach (var file in Directory.GetFiles(Path.Combine(Root, folder), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Folder, Path.GetRelativePath(Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>The repository root (the folder above the test binaries that holds <c>experiments/paper</c>).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The copy's root.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "lorapar-corpus", Guid.NewGuid().ToString("N"));

    /// <summary>The manifests of <c>experiments/</c>, every one, in a stable order.</summary>
    public static IReadOnlyList<CorpusManifest> Manifests() =>
        Directory.GetFiles(Path.Combine(Root, "experiments"), "*.toml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(p => new CorpusManifest(p, new ManifestText(File.ReadAllText(Path.Combine(Root, p)))))
            .ToList();

    /// <summary>
    /// The manifests the corpus mutates: all but the miniature twins under <c>experiments/paper-mini/</c>, which extend a paper
    /// manifest and override only sizes and paths, so mutating them would re-test the paper manifests' keys.
    /// </summary>
    public static IReadOnlyList<CorpusManifest> Mutated() =>
        Manifests().Where(m => !m.Short.StartsWith("paper-mini/", StringComparison.Ordinal)).ToList();

    /// <summary>Writes a case's files, runs <paramref name="body"/>, and restores the copy as it was.</summary>
    public T With<T>(CorpusCase c, Func<T> body)
    {
        var originals = c.Files.Keys.ToDictionary(p => p, p => File.Exists(Path.Combine(Folder, p)) ? File.ReadAllBytes(Path.Combine(Folder, p)) : null);
        foreach (var (path, bytes) in c.Files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Folder, path))!);
            File.WriteAllBytes(Path.Combine(Folder, path), bytes);
        }
        try
        {
            return body();
        }
        finally
        {
            foreach (var (path, bytes) in originals)
            {
                if (bytes is null) File.Delete(Path.Combine(Folder, path));
                else File.WriteAllBytes(Path.Combine(Folder, path), bytes);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }

    private static string FindRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(root, "experiments", "paper"))) root = Path.GetDirectoryName(root)!;
        return root;
    }
}

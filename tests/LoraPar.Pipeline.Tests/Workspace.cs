using LoraPar.Pipeline.Manifest;

namespace LoraPar.Pipeline.Tests;

/// <summary>A temporary folder for one test: write manifests and data, load them, delete everything at the end.</summary>
public sealed class Workspace : IDisposable
{
    public Workspace() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "lorapar-tests", Guid.NewGuid().ToString("N"));

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public LoadedManifest Load(string relative, PathCheckMode paths = PathCheckMode.Errors, Func<string, string?>? env = null) =>
        ManifestLoader.Load(PathOf(relative), new ManifestLoadOptions(Root, paths, env ?? (_ => null)));

    /// <summary>Writes <paramref name="toml"/> as <paramref name="relative"/> and plans it with the default stages against an empty artifacts folder.</summary>
    public global::LoraPar.Pipeline.Stages.PipelinePlan Plan(string relative, string toml)
    {
        Write(relative, toml);
        return global::LoraPar.Pipeline.Stages.PipelinePlan.Build(Load(relative).Manifest, PipelineStages.CreateDefault(), new global::LoraPar.Pipeline.Stages.ArtifactStore(PathOf("artifacts")).Hashes);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}

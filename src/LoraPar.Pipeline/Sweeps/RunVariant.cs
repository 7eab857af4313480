using LoraPar.Pipeline.Manifest;

namespace LoraPar.Pipeline.Sweeps;

/// <summary>One run of a manifest: the whole manifest when it has no sweep, or one point of its grid.</summary>
/// <param name="Name">"default" without a sweep, else the grid point, e.g. <c>theta=0.9,modules=qkv</c> (a folder name under artifacts/runs/&lt;manifest&gt;/).</param>
/// <param name="Manifest">The manifest with the point's values set and an empty sweep.</param>
/// <param name="Point">The swept values (dotted manifest path → value as written in TOML), empty without a sweep.</param>
public sealed record RunVariant(string Name, PipelineManifest Manifest, IReadOnlyList<KeyValuePair<string, string>> Point)
{
    /// <summary>The variant name of a manifest without a sweep.</summary>
    public const string DefaultName = "default";
}

namespace LoraPar.Pipeline.Manifest;

/// <summary>What a manifest path must name.</summary>
public enum PathKind
{
    /// <summary>A file.</summary>
    File,

    /// <summary>A folder (e.g. a Hugging Face checkpoint).</summary>
    Directory,

    /// <summary>Either.</summary>
    Any,
}

/// <summary>
/// A path written in a manifest: as written (<see cref="Raw"/>, with <c>${VAR}</c> environment references) and resolved to an
/// absolute path against the folder of the manifest file that wrote it. Its bytes, not its spelling, enter stage keys.
/// </summary>
public sealed record ManifestPath(string Raw, string Resolved)
{
    /// <inheritdoc />
    public override string ToString() => Raw;
}

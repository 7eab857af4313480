namespace LoraPar.Pipeline.Manifest;

/// <summary>One manifest problem: where, which key, what is wrong — printed as <c>file:line:col key: message</c>.</summary>
public sealed record ManifestError(SourceLocation Location, string Key, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        Key.Length == 0 ? $"{Location}: {Message}" : $"{Location} {Key}: {Message}";
}

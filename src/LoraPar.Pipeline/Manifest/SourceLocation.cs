namespace LoraPar.Pipeline.Manifest;

/// <summary>A 1-based position in a manifest file, printed as <c>file:line:col</c>.</summary>
/// <param name="File">The manifest file as the user named it (relative paths stay relative for readable messages).</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}

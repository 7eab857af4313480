using LoraPar.Core;

namespace LoraPar.Pipeline.Manifest;

/// <summary>Collects every manifest error (and warning) so that one pass reports them all.</summary>
public sealed class ManifestDiagnostics
{
    private readonly List<ManifestError> _errors = [];
    private readonly List<ManifestError> _warnings = [];

    /// <summary>Errors in the order they were found.</summary>
    public IReadOnlyList<ManifestError> Errors => _errors;

    /// <summary>Warnings: problems that only matter when stages run (e.g. a checkpoint path absent on this machine).</summary>
    public IReadOnlyList<ManifestError> Warnings => _warnings;

    /// <summary>Records an error.</summary>
    public void Error(SourceLocation location, string key, string message) => _errors.Add(new(location, key, message));

    /// <summary>Records a warning.</summary>
    public void Warning(SourceLocation location, string key, string message) => _warnings.Add(new(location, key, message));

    /// <summary>Throws a <see cref="BadInputException"/> listing every error, sorted by file and position, when there is any.</summary>
    public void ThrowIfAny()
    {
        if (_errors.Count == 0) return;
        var lines = _errors
            .OrderBy(e => e.Location.File, StringComparer.Ordinal)
            .ThenBy(e => e.Location.Line)
            .ThenBy(e => e.Location.Column)
            .Select(e => e.ToString())
            .Distinct();
        var noun = _errors.Count == 1 ? "error" : "errors";
        throw new BadInputException($"manifest has {_errors.Count} {noun}:\n" + string.Join('\n', lines));
    }
}

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

    /// <summary>The most errors one message shows; the rest are counted on one more line.</summary>
    public const int MaxShown = 20;

    /// <summary>
    /// Throws a <see cref="BadInputException"/> when there is any error: one line per error (<c>file:line:col key: message</c>),
    /// sorted by file and position, at most <see cref="MaxShown"/>; when there are more, a last line at the first one not shown
    /// says how many (<c>file:line:col: and 37 more errors</c>), so every line names a place.
    /// </summary>
    public void ThrowIfAny()
    {
        if (_errors.Count == 0) return;
        var sorted = _errors
            .OrderBy(e => e.Location.File, StringComparer.Ordinal)
            .ThenBy(e => e.Location.Line)
            .ThenBy(e => e.Location.Column)
            .Distinct()
            .ToList();
        var lines = sorted.Take(MaxShown).Select(e => e.ToString()).ToList();
        if (sorted.Count > MaxShown)
        {
            var hidden = sorted.Count - MaxShown;
            lines.Add($"{sorted[MaxShown].Location}: and {hidden} more {(hidden == 1 ? "error" : "errors")}");
        }
        throw new BadInputException(string.Join('\n', lines));
    }
}

namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>A path a manifest names, checked once binding is done: its kind always, its existence when it must exist.</summary>
/// <param name="Key">The dotted key, e.g. <c>model.path</c>.</param>
/// <param name="Location">Where the value was written.</param>
/// <param name="Path">The path as written and resolved.</param>
/// <param name="Kind">What it must name when it exists (a file where a folder is expected, or the reverse, is always an error).</param>
/// <param name="MustExist">Whether a missing path is a problem (an error when running, a warning for a dry run).</param>
/// <param name="Problem">Why it could not be resolved (an unset environment variable), or null.</param>
/// <param name="Hint">What the path should name, added to a not-found message (null: nothing added).</param>
public sealed record PendingPathCheck(string Key, SourceLocation Location, ManifestPath Path, PathKind Kind, bool MustExist, string? Problem,
    string? Hint = null);

/// <summary>State shared by every <see cref="SectionReader"/> of one manifest: diagnostics, file folders, pending path checks, machine problems.</summary>
public sealed class ManifestBinding(ManifestDiagnostics diagnostics, IReadOnlyDictionary<string, string> directories,
    SourceLocation rootLocation, Func<string, string?> environment)
{
    private readonly List<PendingPathCheck> _pathChecks = [];
    private readonly List<ManifestError> _machineProblems = [];

    /// <summary>Where errors go.</summary>
    public ManifestDiagnostics Diagnostics { get; } = diagnostics;

    /// <summary>Location used for problems that have no better place (the top of the manifest).</summary>
    public SourceLocation RootLocation { get; } = rootLocation;

    /// <summary>Paths to check once binding is done.</summary>
    public IReadOnlyList<PendingPathCheck> PathChecks => _pathChecks;

    /// <summary>Reads an environment variable (injected so that tests and runs stay deterministic).</summary>
    public string? Environment(string name) => environment(name);

    /// <summary>The absolute folder of the manifest file named in <paramref name="location"/>.</summary>
    public string DirectoryOf(SourceLocation location) =>
        directories.TryGetValue(location.File, out var dir) ? dir : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(location.File))!;

    /// <summary>
    /// Problems that depend on this machine rather than on the manifest (an unset API-key variable, a missing tool, the CPU
    /// build for device = "cuda"): reported like missing paths, as errors when running and warnings for a dry run.
    /// </summary>
    public IReadOnlyList<ManifestError> MachineProblems => _machineProblems;

    /// <summary>Queues a path check.</summary>
    public void CheckPath(PendingPathCheck check) => _pathChecks.Add(check);

    /// <summary>Records a problem of this machine (see <see cref="MachineProblems"/>).</summary>
    public void MachineProblem(ManifestError problem) => _machineProblems.Add(problem);
}

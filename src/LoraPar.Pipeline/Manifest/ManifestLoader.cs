using System.Text.RegularExpressions;
using LoraPar.Adapters;
using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using LoraPar.Training.Grpo;
using LoraPar.Training.Sft;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest;

/// <summary>When the files a manifest names are checked.</summary>
public enum PathCheckMode
{
    /// <summary>A missing file or unset <c>${VAR}</c> is an error (before running, status, clean).</summary>
    Errors,

    /// <summary>Reported as warnings (a dry run on a machine without the user's checkpoint).</summary>
    Warnings,
}

/// <summary>Options of <see cref="ManifestLoader.Load"/>.</summary>
/// <param name="WorkingDirectory">Folder the default <c>artifacts/</c> is placed in (normally the current directory).</param>
/// <param name="Paths">How missing files are reported.</param>
/// <param name="Environment">Environment lookup for <c>${VAR}</c> in paths (null: the process environment).</param>
public sealed record ManifestLoadOptions(string WorkingDirectory, PathCheckMode Paths = PathCheckMode.Errors,
    Func<string, string?>? Environment = null);

/// <summary>A loaded manifest with the warnings validation produced.</summary>
public sealed record LoadedManifest(PipelineManifest Manifest, string File, IReadOnlyList<ManifestError> Warnings);

/// <summary>
/// Reads a manifest file (with its <c>extends</c> chain), validates every key and value, and binds it to
/// <see cref="PipelineManifest"/>. Every problem is collected; any error throws one <see cref="LoraPar.Core.BadInputException"/>
/// (exit code 2) listing them all as <c>file:line:col key: message</c>. Nothing heavier than reading text happens here.
/// </summary>
public static partial class ManifestLoader
{
    /// <summary>Loads and validates <paramref name="path"/>.</summary>
    public static LoadedManifest Load(string path, ManifestLoadOptions options)
    {
        var diagnostics = new ManifestDiagnostics();
        var directories = new Dictionary<string, string>(StringComparer.Ordinal);
        var display = DisplayName(path, options.WorkingDirectory);
        var full = Path.GetFullPath(path, options.WorkingDirectory);
        var tree = ManifestSource.Load(full, display, diagnostics, directories);
        // A tree that merged with errors (a bad unset or replace) is still a whole tree: binding it too reports its unknown
        // keys, so a misspelt section that holds an unset is named as misspelt, not only as unsetting nothing.
        if (tree is null) diagnostics.ThrowIfAny();
        var binding = new ManifestBinding(diagnostics, directories, new SourceLocation(display, 1, 1),
            options.Environment ?? System.Environment.GetEnvironmentVariable);
        var manifest = Bind(tree!, binding, Path.GetFileNameWithoutExtension(full), options.WorkingDirectory);
        CheckPaths(binding, options.Paths);
        diagnostics.ThrowIfAny();
        return new LoadedManifest(manifest, full, diagnostics.Warnings);
    }

    private static PipelineManifest Bind(TomlTableNode tree, ManifestBinding binding, string defaultName, string workingDirectory)
    {
        var r = new SectionReader(tree, "", binding);
        var d = new PipelineManifest();
        var name = r.String("name", defaultName);
        if (RunNameProblem(name) is { } problem) r.Error("name", problem);
        DataSection data;
        var manifest = new PipelineManifest
        {
            Name = name,
            Seed = r.Long("seed", d.Seed, NumberRange.NonNegative),
            Device = r.Enum("device", d.Device),
            Method = r.Enum("method", d.Method),
            CheckpointMinutes = r.Double("checkpoint_minutes", d.CheckpointMinutes, new NumberRange(0, 10_080)),
            MklPath = r.Has("mkl_path") ? r.Enum("mkl_path", MklPathChoice.Auto) : null,
            Threads = r.Has("threads") ? r.Int("threads", 1, new NumberRange(1, ThreadCount.Max)) : null,
            Artifacts = r.Path("artifacts", PathKind.Directory, mustExist: false)?.Resolved ?? Path.Combine(workingDirectory, "artifacts"),
            LogLevel = r.Enum("log_level", d.LogLevel),
            Progress = r.Enum("progress", d.Progress),
            Model = ModelSection.Read(r.Section("model")),
            Data = data = DataSection.Read(r.Section("data")),
            Splitter = SplitterSection.Read(r.Section("splitter")),
            Lora = SettingsBinder.Bind<LoraConfig>(r.Section("lora")),
            Importance = SettingsBinder.Bind<ImportanceScorerOptions>(r.Section("importance")),
            Partition = SettingsBinder.Bind<PartitionOptions>(r.Section("partition")),
            Sft = SettingsBinder.Bind<SftOptions>(r.Section("sft")),
            Rl = SettingsBinder.Bind<GrpoOptions>(r.Section("rl")),
            Eval = EvalSection.Read(r.Section("eval"), data),
            Report = ReportSection.Read(r.Section("report")),
            Executor = SettingsBinder.Bind<Executors.ExecutorSettings>(r.Section("executor")),
            Sweep = SweepSection.Read(r.Section("sweep")),
        };
        ManifestRules.Check(manifest, r, () => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        r.Finish();
        return manifest;
    }

    private static void CheckPaths(ManifestBinding binding, PathCheckMode mode)
    {
        foreach (var check in binding.PathChecks)
        {
            if (check.Problem is null && WrongKind(check) is { } wrong)
            {
                binding.Diagnostics.Error(check.Location, check.Key, wrong);
                continue;
            }
            var problem = check.Problem ?? (check.MustExist ? Missing(check) : null);
            if (problem is not null) ReportForMachine(binding, mode, new ManifestError(check.Location, check.Key, problem));
        }
        foreach (var problem in binding.MachineProblems) ReportForMachine(binding, mode, problem);
    }

    /// <summary>A problem of this machine: an error when running, a warning for a dry run (the run may happen elsewhere).</summary>
    private static void ReportForMachine(ManifestBinding binding, PathCheckMode mode, ManifestError problem)
    {
        if (mode == PathCheckMode.Errors) binding.Diagnostics.Error(problem.Location, problem.Key, problem.Message);
        else binding.Diagnostics.Warning(problem.Location, problem.Key, problem.Message + " (needed when the stage runs)");
    }

    /// <summary>A folder where a file is expected or a file where a folder is: wrong on every machine, so an error even for a dry run.</summary>
    private static string? WrongKind(PendingPathCheck check)
    {
        var path = check.Path.Resolved;
        return check.Kind switch
        {
            PathKind.File when Directory.Exists(path) => $"expected a file, found a folder: {path}",
            PathKind.Directory when File.Exists(path) => $"expected a folder, found a file: {path}",
            _ => null,
        };
    }

    private static string? Missing(PendingPathCheck check)
    {
        var path = check.Path.Resolved;
        var missing = check.Kind switch
        {
            PathKind.File when !File.Exists(path) => $"file not found: {path}",
            PathKind.Directory when !Directory.Exists(path) => $"folder not found: {path}",
            PathKind.Any when !File.Exists(path) && !Directory.Exists(path) => $"path not found: {path}",
            _ => null,
        };
        return missing is null || check.Hint is null ? missing : $"{missing}; {check.Hint}";
    }

    /// <summary>The longest run name: it names folders (<c>artifacts/runs/&lt;name&gt;/</c>) and every report.</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// Why <paramref name="name"/> cannot name a run (too long, or other than letters, digits, '.', '_', '-'), or null when it
    /// can. The message never repeats a long name in full.
    /// </summary>
    public static string? RunNameProblem(string name) =>
        name.Length > MaxNameLength ? $"a run name of {name.Length} characters is too long; use at most {MaxNameLength}"
        : SafeName().IsMatch(name) ? null
        : $"'{name}' is not a usable run name; use letters, digits, '.', '_' or '-'";

    private static string DisplayName(string path, string workingDirectory)
    {
        var full = Path.GetFullPath(path, workingDirectory);
        var relative = Path.GetRelativePath(workingDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex SafeName();
}

namespace LoraPar.Core;

/// <summary>
/// How the user can start lorapar from where they are, for messages that suggest a command: <c>lorapar</c> for the global tool
/// (or any lorapar on PATH; its full path when its folder is not on PATH), <c>dotnet lorapar</c> for the repository's local tool, <c>dotnet run --project … --</c> for a build
/// started from its source tree. Derived from this process alone; nothing is stored.
/// </summary>
public static class CommandHint
{
    /// <summary>The command that starts lorapar in this process's situation, e.g. <c>lorapar</c> or <c>dotnet lorapar</c>.</summary>
    public static string Lorapar => Detect(Environment.ProcessPath, AppContext.BaseDirectory,
        Environment.GetEnvironmentVariable("PATH"), Environment.CurrentDirectory);

    /// <summary>
    /// The command for a process whose executable is <paramref name="processPath"/> and whose application folder is
    /// <paramref name="appDirectory"/>, given the search path <paramref name="searchPath"/> and the working folder (pure).
    /// </summary>
    public static string Detect(string? processPath, string appDirectory, string? searchPath, string currentDirectory)
    {
        const string name = "lorapar";
        var folders = (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var exe = processPath is null ? "" : Path.GetFileNameWithoutExtension(processPath);
        if (exe == name && folders.Any(f => SameFolder(f, Path.GetDirectoryName(processPath)!))) return name;
        var app = Path.TrimEndingDirectorySeparator(Path.GetFullPath(appDirectory));
        if (SourceProject(app) is { } project) return $"dotnet run --project {Relative(project, currentDirectory)} --";
        if (exe == "dotnet" && app.Split(Path.DirectorySeparatorChar).Contains(name)) return $"dotnet {name}";   // a local tool from the NuGet cache
        return exe == name ? Quoted(processPath!) : name;                                                       // not on PATH: its full path
    }

    /// <summary>The project folder when <paramref name="app"/> is its build output (<c>…/src/LoraPar.Cli/bin/&lt;config&gt;/&lt;tfm&gt;</c>).</summary>
    private static string? SourceProject(string app)
    {
        var tfm = Path.GetDirectoryName(app);
        var bin = tfm is null ? null : Path.GetDirectoryName(tfm);
        var project = bin is null ? null : Path.GetDirectoryName(bin);
        return project is not null && Path.GetFileName(bin) == "bin" && File.Exists(Path.Combine(project, "LoraPar.Cli.csproj")) ? project : null;
    }

    private static string Relative(string folder, string currentDirectory) => Quoted(Path.GetRelativePath(currentDirectory, folder));

    private static string Quoted(string path) => path.Contains(' ') ? $"\"{path}\"" : path;

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}

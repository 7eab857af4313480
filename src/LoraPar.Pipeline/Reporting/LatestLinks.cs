using LoraPar.Core;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// <c>artifacts/runs/&lt;manifest&gt;/latest/</c>: links to what the latest <c>lorapar run</c> produced — the sweep report and the saved
/// results at the top, and each run's report, adapters, metrics and exports (in <c>latest/&lt;run&gt;/</c> for a sweep, directly in
/// <c>latest/</c> for a single run). Links are relative symbolic links; where the file system refuses them, a text file
/// <c>&lt;name&gt;.path</c> holds the target's path instead. The folder is replaced as a whole, atomically.
/// </summary>
public static class LatestLinks
{
    /// <summary>The folder's name.</summary>
    public const string FolderName = "latest";

    /// <summary>The suffix of a pointer file written where a link cannot be made.</summary>
    public const string PointerSuffix = ".path";

    /// <summary>Writes the folder under <paramref name="manifestRunsFolder"/>; returns its path.</summary>
    /// <param name="manifestRunsFolder"><c>artifacts/runs/&lt;manifest&gt;</c>.</param>
    /// <param name="top">Links at the top (name → target).</param>
    /// <param name="runs">Each run's outputs by run name.</param>
    public static string Write(string manifestRunsFolder, IReadOnlyList<RunOutput> top, IReadOnlyList<(string Run, IReadOnlyList<RunOutput> Outputs)> runs)
    {
        var final = Path.Combine(manifestRunsFolder, FolderName);
        return AtomicFolder.Write(final, temp =>
        {
            foreach (var output in top) Link(temp, final, output);
            foreach (var (run, outputs) in runs)
            {
                var sub = runs.Count == 1 ? "" : run;
                Directory.CreateDirectory(Path.Combine(temp, sub));
                foreach (var output in outputs) Link(Path.Combine(temp, sub), Path.Combine(final, sub), output);
            }
        });
    }

    /// <summary>
    /// Links <c>folder/name</c> to the output's path, relative to where the link will finally lie (<paramref name="finalFolder"/>,
    /// the same depth as <paramref name="folder"/>), or writes a pointer file when links cannot be made here.
    /// </summary>
    private static void Link(string folder, string finalFolder, RunOutput output)
    {
        var link = Path.Combine(folder, output.LinkName);
        var target = Path.GetRelativePath(finalFolder, output.Path);
        try
        {
            if (Directory.Exists(output.Path)) Directory.CreateSymbolicLink(link, target);
            else File.CreateSymbolicLink(link, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.WriteAllText(link + PointerSuffix, output.Path + "\n");
        }
    }
}

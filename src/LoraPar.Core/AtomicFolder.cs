namespace LoraPar.Core;

/// <summary>Writes a whole folder so that readers see either the old folder or the complete new one, never a partial one.</summary>
public static class AtomicFolder
{
    /// <summary>
    /// Lets <paramref name="write"/> fill a hidden temporary sibling of <paramref name="directory"/>, then renames it into
    /// place; an existing folder is moved aside first and deleted after. On failure the temporary folder is removed.
    /// </summary>
    public static string Write(string directory, Action<string> write)
    {
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(temp);
            write(temp);
            if (Directory.Exists(full))
            {
                var aside = Path.Combine(parent, $".{Path.GetFileName(full)}.old.{Guid.NewGuid():N}");
                Directory.Move(full, aside);
                Directory.Move(temp, full);
                Directory.Delete(aside, recursive: true);
            }
            else
            {
                Directory.Move(temp, full);
            }
            return full;
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }
}

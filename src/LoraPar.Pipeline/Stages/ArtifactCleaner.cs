using LoraPar.Core;

namespace LoraPar.Pipeline.Stages;

/// <summary>What <see cref="ArtifactCleaner.Clean"/> removed.</summary>
public sealed record CleanSummary(IReadOnlyList<string> Removed, long BytesFreed, IReadOnlyList<string> SkippedInUse);

/// <summary>
/// Removes artifact folders (and leftover temporary folders, and partial-results folders) that none of the given plans references. A folder whose key is
/// locked by a running process is left alone.
/// </summary>
public static class ArtifactCleaner
{
    /// <summary>Cleans <paramref name="store"/>, keeping every key the <paramref name="plans"/> use.</summary>
    public static CleanSummary Clean(ArtifactStore store, IEnumerable<PipelinePlan> plans)
    {
        var keep = plans.SelectMany(p => p.Nodes).Select(n => (n.Kind, n.Key)).ToHashSet();
        var (removed, skipped) = (new List<string>(), new List<string>());
        long bytes = 0;
        foreach (var (kind, key) in store.List().ToList())
        {
            if (keep.Contains((kind, key))) continue;
            using var claim = KeyLock.TryAcquire(store.LockPathOf(kind, key));
            var dir = store.DirectoryOf(kind, key);
            if (claim is null)
            {
                skipped.Add(dir);
                continue;
            }
            bytes += Delete(store, dir);
            removed.Add(Path.GetRelativePath(store.Root, dir));
        }
        foreach (var kind in store.List().Select(a => a.Kind).Concat(keep.Select(k => k.Kind)).Distinct().ToList())
        {
            foreach (var leftover in store.Leftovers(kind).ToList())
                bytes += CleanLeftover(store, kind, leftover, removed);
            foreach (var key in store.PartialKeys(kind).Where(k => !keep.Contains((kind, k))).ToList())
                bytes += CleanPartial(store, kind, key, removed);
        }
        store.Hashes.Save();
        return new CleanSummary(removed, bytes, skipped);
    }

    private static long CleanLeftover(ArtifactStore store, string kind, string leftover, List<string> removed)
    {
        var name = Path.GetFileName(leftover);
        var key = name.Length >= 5 + StageKey.Length ? name.Substring(5, StageKey.Length) : "";
        using var claim = KeyLock.TryAcquire(store.LockPathOf(kind, key));
        if (claim is null) return 0;
        removed.Add(Path.GetRelativePath(store.Root, leftover));
        return Delete(store, leftover);
    }

    private static long CleanPartial(ArtifactStore store, string kind, string key, List<string> removed)
    {
        using var claim = KeyLock.TryAcquire(store.LockPathOf(kind, key));
        if (claim is null) return 0;
        var dir = store.PartialDirectoryOf(kind, key);
        removed.Add(Path.GetRelativePath(store.Root, dir));
        return Delete(store, dir);
    }

    private static long Delete(ArtifactStore store, string dir)
    {
        try
        {
            var size = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            Directory.Delete(dir, recursive: true);
            store.Hashes.ForgetUnder(dir);
            return size;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JobFailedException($"cannot delete {dir}: {e.Message}", e);
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using LoraPar.Core;

namespace LoraPar.Pipeline.Hashing;

/// <summary>
/// Remembers file digests by (absolute path, size, modification time), like DVC's state database, so that a no-op run does not
/// re-read multi-gigabyte checkpoints. Any write to a file changes its modification time, so a changed or corrupted file is
/// re-hashed. Persisted in one JSON file under the artifacts folder; a missing or unreadable cache file is simply empty.
/// </summary>
public sealed class FileHashCache
{
    private readonly string _file;
    private readonly ConcurrentDictionary<string, Entry> _entries;
    private bool _dirty;

    private sealed record Entry(long Size, long ModifiedTicks, string Hash);

    /// <summary>Opens (or starts) the cache stored at <paramref name="file"/>.</summary>
    public FileHashCache(string file)
    {
        _file = file;
        _entries = new ConcurrentDictionary<string, Entry>(Read(file), StringComparer.Ordinal);
    }

    /// <summary>The digest of a file, from the cache when its size and modification time are unchanged.</summary>
    public string Hash(string path)
    {
        var info = new FileInfo(path);
        var full = info.FullName;
        var ticks = info.LastWriteTimeUtc.Ticks;
        if (_entries.TryGetValue(full, out var entry) && entry.Size == info.Length && entry.ModifiedTicks == ticks) return entry.Hash;
        var hash = ContentHash.OfFile(full);
        _entries[full] = new Entry(info.Length, ticks, hash);
        _dirty = true;
        return hash;
    }

    /// <summary>
    /// The digest of a file, or of a folder as the digest of its sorted (relative path, file digest) list, so that an HF
    /// checkpoint folder can be an input.
    /// </summary>
    public string HashPath(string path)
    {
        if (File.Exists(path)) return Hash(path);
        if (!Directory.Exists(path)) throw new BadInputException($"input not found: {path}");
        var lines = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Select(f => (Relative: Path.GetRelativePath(path, f).Replace('\\', '/'), Full: f))
            .Where(f => !f.Relative.Split('/').Any(part => part.StartsWith('.')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .Select(f => $"{f.Relative}\t{Hash(f.Full)}");
        return ContentHash.OfText("dir\n" + string.Join('\n', lines));
    }

    /// <summary>Forgets entries under a folder (after the folder is deleted).</summary>
    public void ForgetUnder(string folder)
    {
        var prefix = Path.GetFullPath(folder).TrimEnd('/') + "/";
        foreach (var key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
            if (_entries.TryRemove(key, out _)) _dirty = true;
    }

    /// <summary>Writes the cache atomically when it changed. Another process's concurrent save may win; both are valid caches.</summary>
    public void Save()
    {
        if (!_dirty) return;
        var snapshot = _entries.Where(kv => File.Exists(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        AtomicFile.WriteAllText(_file, JsonSerializer.Serialize(snapshot));
        _dirty = false;
    }

    private static Dictionary<string, Entry> Read(string file)
    {
        try
        {
            return File.Exists(file)
                ? JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(file)) ?? []
                : [];
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

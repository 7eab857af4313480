using LoraPar.Pipeline.Hashing;

namespace LoraPar.Pipeline.Stages;

/// <summary>The state of an artifact folder.</summary>
public enum ArtifactState
{
    /// <summary>stage.json is valid and every output matches its recorded digest.</summary>
    Complete,

    /// <summary>No folder for this key.</summary>
    Missing,

    /// <summary>A folder without a valid stage.json (an interrupted write from an older tool, or a foreign folder).</summary>
    Incomplete,

    /// <summary>An output is missing or its bytes differ from stage.json.</summary>
    Corrupt,
}

/// <summary>The outcome of checking an artifact, with a human-readable detail for stale ones.</summary>
public sealed record ArtifactCheck(ArtifactState State, string Detail = "")
{
    /// <summary>Whether the artifact can be used as is.</summary>
    public bool IsComplete => State == ArtifactState.Complete;
}

/// <summary>
/// The content-addressed store: <c>artifacts/&lt;kind&gt;/&lt;key&gt;/</c> folders, each holding its outputs and stage.json;
/// temporary folders <c>.tmp-*</c> beside them; resumable partial results in <c>&lt;key&gt;.partial/</c>; lock files in <c>&lt;kind&gt;/.locks/</c>; run pointers in <c>runs/</c>; the
/// file-digest cache in <c>.cache/</c>.
/// </summary>
public sealed class ArtifactStore
{
    /// <summary>The file every artifact folder holds last.</summary>
    public const string RecordFileName = "stage.json";

    /// <summary>The suffix of a key's partial-results folder.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>The file in a partial folder naming the kind and key it belongs to.</summary>
    public const string PartialMarkerFileName = "partial.json";

    /// <summary>Opens the store rooted at <paramref name="root"/> (created on first write).</summary>
    public ArtifactStore(string root)
    {
        Root = Path.GetFullPath(root);
        Hashes = new FileHashCache(Path.Combine(Root, ".cache", "file-hashes.json"));
    }

    /// <summary>The artifacts folder.</summary>
    public string Root { get; }

    /// <summary>Digest cache for inputs and outputs.</summary>
    public FileHashCache Hashes { get; }

    /// <summary>Where run pointers and run logs live.</summary>
    public string RunsDirectory => Path.Combine(Root, "runs");

    /// <summary>The artifact folder of a key.</summary>
    public string DirectoryOf(string kind, string key) => Path.Combine(Root, kind, key);

    /// <summary>The lock file guarding a key.</summary>
    public string LockPathOf(string kind, string key) => Path.Combine(Root, kind, ".locks", key + ".lock");

    /// <summary>Checks an artifact: a valid stage.json for this kind and key, and every recorded output present with its digest.</summary>
    public ArtifactCheck Check(string kind, string key)
    {
        var dir = DirectoryOf(kind, key);
        if (!Directory.Exists(dir)) return new(ArtifactState.Missing, "no artifact");
        var record = StageRecord.TryRead(Path.Combine(dir, RecordFileName));
        if (record is null) return new(ArtifactState.Incomplete, "artifact has no valid stage.json");
        if (record.Key != key || record.Kind != kind) return new(ArtifactState.Corrupt, "stage.json names another key");
        foreach (var output in record.Outputs)
        {
            var path = Path.Combine(dir, output.Path);
            if (!File.Exists(path)) return new(ArtifactState.Corrupt, $"output {output.Path} is missing");
            if (new FileInfo(path).Length != output.Size || Hashes.Hash(path) != output.Hash)
                return new(ArtifactState.Corrupt, $"output {output.Path} does not match its recorded digest");
        }
        return new(ArtifactState.Complete);
    }

    /// <summary>The stage.json of a complete or incomplete artifact, or null.</summary>
    public StageRecord? ReadRecord(string kind, string key) => StageRecord.TryRead(Path.Combine(DirectoryOf(kind, key), RecordFileName));

    /// <summary>A fresh, empty temporary folder for computing a key (never seen as an artifact).</summary>
    public string CreateTemporary(string kind, string key)
    {
        var dir = Path.Combine(Root, kind, $".tmp-{key}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The folder where a key keeps results that survive a failed or cancelled attempt (see <see cref="OpenPartial"/>).</summary>
    public string PartialDirectoryOf(string kind, string key) => Path.Combine(Root, kind, key + PartialSuffix);

    /// <summary>
    /// The partial-results folder of a key, created if needed. A folder whose marker names another kind or key (copied or
    /// renamed by hand) is discarded first, so results are only ever resumed by the key that computed them. Call while
    /// holding the key's lock.
    /// </summary>
    public string OpenPartial(string kind, string key)
    {
        var dir = PartialDirectoryOf(kind, key);
        var marker = Path.Combine(dir, PartialMarkerFileName);
        var expected = System.Text.Json.JsonSerializer.Serialize(new PartialMarker(kind, key));
        if (Directory.Exists(dir) && (!File.Exists(marker) || File.ReadAllText(marker) != expected)) DiscardPartial(kind, key);
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            LoraPar.Core.AtomicFile.WriteAllText(marker, expected);
        }
        return dir;
    }

    /// <summary>Deletes the partial-results folder of a key (after its artifact is committed, or when forced afresh).</summary>
    public void DiscardPartial(string kind, string key)
    {
        var dir = PartialDirectoryOf(kind, key);
        if (!Directory.Exists(dir)) return;
        Directory.Delete(dir, recursive: true);
        Hashes.ForgetUnder(dir);
    }

    /// <summary>The keys of a kind that have a partial-results folder.</summary>
    public IEnumerable<string> PartialKeys(string kind)
    {
        var dir = Path.Combine(Root, kind);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateDirectories(dir, "*" + PartialSuffix)
            .Select(d => Path.GetFileName(d)[..^PartialSuffix.Length])
            .Where(k => k.Length == StageKey.Length && k.All(char.IsAsciiHexDigitLower))
            .ToList();
    }

    /// <summary>Digests of every file under a folder (relative paths with '/'), sorted.</summary>
    public List<RecordedOutput> DigestOutputs(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => (Relative: Path.GetRelativePath(dir, f).Replace('\\', '/'), Full: f))
            .Where(f => f.Relative != RecordFileName)
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .Select(f => new RecordedOutput(f.Relative, new FileInfo(f.Full).Length, Hashes.Hash(f.Full)))
            .ToList();

    /// <summary>
    /// Moves a finished temporary folder into place with a rename (atomic on one file system). An existing folder for the key
    /// (corrupt, or being replaced by --force) is first renamed aside, then deleted. Call while holding the key's lock.
    /// </summary>
    public void Commit(string temporary, string kind, string key)
    {
        var target = DirectoryOf(kind, key);
        if (Directory.Exists(target))
        {
            var aside = Path.Combine(Root, kind, $".old-{key}-{Guid.NewGuid():N}");
            Directory.Move(target, aside);
            Directory.Move(temporary, target);
            Directory.Delete(aside, recursive: true);
        }
        else
        {
            Directory.Move(temporary, target);
        }
        Hashes.ForgetUnder(temporary);
    }

    /// <summary>Every artifact folder (kind, key) in the store, complete or not.</summary>
    public IEnumerable<(string Kind, string Key)> List()
    {
        if (!Directory.Exists(Root)) yield break;
        foreach (var kindDir in Directory.EnumerateDirectories(Root))
        {
            var kind = Path.GetFileName(kindDir);
            if (kind.StartsWith('.') || kind == "runs" || kind == "feed") continue;
            foreach (var keyDir in Directory.EnumerateDirectories(kindDir))
            {
                var key = Path.GetFileName(keyDir);
                if (key.Length == StageKey.Length && key.All(char.IsAsciiHexDigitLower)) yield return (kind, key);
            }
        }
    }

    /// <summary>
    /// Deletes what killed attempts of one key left beside its artifact — its <c>.tmp-&lt;key&gt;-*</c> staging folders, its
    /// <c>.old-&lt;key&gt;-*</c> set-aside folders and the hidden temporaries an atomic write made next to them — and, with
    /// <paramref name="partialToo"/> (the artifact is complete), its partial-results folder. Call while holding the key's
    /// lock: a live attempt of the key holds it, so nothing another process still uses is touched.
    /// </summary>
    public void RemoveLeftovers(string kind, string key, bool partialToo)
    {
        foreach (var leftover in LeftoversOf(kind, key).ToList())
        {
            Directory.Delete(leftover, recursive: true);
            Hashes.ForgetUnder(leftover);
        }
        if (partialToo) DiscardPartial(kind, key);
    }

    /// <summary>The hidden folders beside a key's artifact that name the key (see <see cref="RemoveLeftovers"/>).</summary>
    public IEnumerable<string> LeftoversOf(string kind, string key)
    {
        var dir = Path.Combine(Root, kind);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateDirectories(dir).Where(d => Path.GetFileName(d) is var n && n.StartsWith('.') && n.Contains(key));
    }

    /// <summary>Leftover temporary and set-aside folders of a kind (from killed processes).</summary>
    public IEnumerable<string> Leftovers(string kind)
    {
        var dir = Path.Combine(Root, kind);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateDirectories(dir).Where(d => Path.GetFileName(d) is var n && (n.StartsWith(".tmp-") || n.StartsWith(".old-")));
    }
}

/// <summary>The content of a partial folder's marker file.</summary>
internal sealed record PartialMarker(string Kind, string Key);

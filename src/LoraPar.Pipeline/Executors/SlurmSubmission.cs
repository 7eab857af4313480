using System.Text.Json;
using LoraPar.Core;

namespace LoraPar.Pipeline.Executors;

/// <summary>
/// The record of one stage's job, <c>artifacts/slurm/&lt;stage&gt;/&lt;key&gt;.json</c>: which job computes that key, so a second
/// <c>run</c> (of this manifest or another sharing the key) depends on it instead of submitting it again, and <c>status</c> and
/// <c>cancel</c> find it. Written under the artifacts folder's submission lock.
/// </summary>
/// <param name="Kind">Stage kind.</param>
/// <param name="Key">Stage key.</param>
/// <param name="JobId">Slurm job id.</param>
/// <param name="JobName">Its name (<see cref="SlurmJobName"/>).</param>
/// <param name="Manifest">The manifest file that submitted it.</param>
/// <param name="Log">The job's output file.</param>
/// <param name="Submitted">When.</param>
public sealed record SlurmSubmission(string Kind, string Key, string JobId, string JobName, string Manifest, string Log, DateTimeOffset Submitted)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>The folder of the records of artifacts folder <paramref name="artifacts"/>.</summary>
    public static string Folder(string artifacts) => Path.Combine(artifacts, "slurm");

    /// <summary>The lock every submission to <paramref name="artifacts"/> holds, so two <c>run</c>s never submit one key twice.</summary>
    public static string LockPath(string artifacts) => Path.Combine(Folder(artifacts), ".submit.lock");

    /// <summary>The record of a key, or null (none, or unreadable).</summary>
    public static SlurmSubmission? Read(string artifacts, string kind, string key)
    {
        var path = PathOf(artifacts, kind, key);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<SlurmSubmission>(File.ReadAllText(path), Options) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Writes the record atomically.</summary>
    public void Write(string artifacts) => AtomicFile.WriteAllText(PathOf(artifacts, Kind, Key), JsonSerializer.Serialize(this, Options));

    private static string PathOf(string artifacts, string kind, string key) => Path.Combine(Folder(artifacts), kind, key + ".json");
}

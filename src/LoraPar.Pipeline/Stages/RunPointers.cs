namespace LoraPar.Pipeline.Stages;

/// <summary>
/// The last record of each stage for each manifest run: <c>artifacts/runs/&lt;manifest&gt;/&lt;run&gt;/&lt;kind&gt;.json</c>.
/// <c>status</c> compares the current plan against these to say which input changed; <c>compare</c> finds a run's results.
/// </summary>
public sealed class RunPointers(string runsDirectory)
{
    /// <summary>The folder of one run's pointers.</summary>
    public string DirectoryOf(string manifest, string variant) => Path.Combine(runsDirectory, manifest, variant);

    /// <summary>The last record of <paramref name="kind"/> for this run, or null.</summary>
    public StageRecord? Read(string manifest, string variant, string kind) =>
        StageRecord.TryRead(Path.Combine(DirectoryOf(manifest, variant), kind + ".json"));

    /// <summary>Records <paramref name="record"/> as the latest of its kind for this run.</summary>
    public void Write(string manifest, string variant, StageRecord record) =>
        record.Write(Path.Combine(DirectoryOf(manifest, variant), record.Kind + ".json"));
}

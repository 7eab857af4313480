using System.Text.Json;
using LoraPar.Core;

namespace LoraPar.Pipeline.Reporting;

/// <summary>One run of a manifest as recorded: its variant name, its swept values (dotted path → value) and its metrics.</summary>
public sealed record RecordedRun(string Name, IReadOnlyDictionary<string, string> Point, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The record of a run's current results.</summary>
    public static RecordedRun Of(RunResults results) => new(results.Variant.Name,
        results.Variant.Point.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        new SortedDictionary<string, double>(results.Metrics.ToDictionary(), StringComparer.Ordinal));
}

/// <summary>The results of one <c>lorapar run</c> of a manifest, saved so that a later run can be compared with it.</summary>
/// <param name="RunId">The run's id: its log's time stamp and process id, e.g. <c>20261128-101500-4242</c> (sorts by time).</param>
/// <param name="Manifest">The manifest name.</param>
/// <param name="ToolVersion">The lorapar version that ran it.</param>
/// <param name="Time">When it finished (UTC).</param>
/// <param name="Runs">Every run of the manifest (one per sweep point) with its metrics.</param>
public sealed record SavedResults(string RunId, string Manifest, string ToolVersion, DateTimeOffset Time, IReadOnlyList<RecordedRun> Runs)
{
    /// <summary>Whether <paramref name="other"/> holds the same runs with the same metrics.</summary>
    public bool SameResultsAs(SavedResults other) =>
        Runs.Count == other.Runs.Count && Runs.Zip(other.Runs).All(p => p.First.Name == p.Second.Name
            && p.First.Metrics.Count == p.Second.Metrics.Count
            && p.First.Metrics.All(m => p.Second.Metrics.TryGetValue(m.Key, out var v) && v.Equals(m.Value)));
}

/// <summary>
/// The saved results of a manifest's runs, <c>artifacts/runs/&lt;manifest&gt;/results/&lt;run id&gt;.json</c>: <c>lorapar run</c> adds
/// one when its results differ from the last saved ones; <c>lorapar compare --against</c> names one by run id (or a unique
/// prefix of it, such as the time stamp <c>20261128-1015</c>), by <c>previous</c> (the one before the latest), or by the path
/// of its results file or of the run's log (<c>artifacts/runs/&lt;manifest&gt;/logs/&lt;run id&gt;.log</c>).
/// </summary>
public sealed class RunHistory(string runsDirectory, string manifest)
{
    /// <summary>The reference that names the saved run before the latest.</summary>
    public const string Previous = "previous";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>The folder of the saved results.</summary>
    public string Folder { get; } = Path.Combine(runsDirectory, manifest, "results");

    /// <summary>The saved run ids, oldest first.</summary>
    public IReadOnlyList<string> Ids() => Directory.Exists(Folder)
        ? Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>
    /// Saves <paramref name="results"/> unless they equal the latest saved ones; returns the id saved under (the run id, with a
    /// suffix <c>-2</c>, <c>-3</c>… when one process saved twice within a second), or null when nothing was saved.
    /// </summary>
    public string? Save(SavedResults results)
    {
        var ids = Ids();
        if (ids is [.., var last] && Load(PathOf(last)).SameResultsAs(results)) return null;
        var id = results.RunId;
        for (var n = 2; ids.Contains(id); n++) id = $"{results.RunId}-{n}";
        AtomicFile.WriteAllText(PathOf(id), JsonSerializer.Serialize(results with { RunId = id }, Json));
        return id;
    }

    /// <summary>The latest saved results, or null when none are saved.</summary>
    public SavedResults? Latest() => Ids() is [.., var last] ? Load(PathOf(last)) : null;

    /// <summary>
    /// The saved results <paramref name="reference"/> names (see the class summary; paths relative to
    /// <paramref name="workingDirectory"/>). Anything else is bad input that lists the saved run ids.
    /// </summary>
    public SavedResults Find(string reference, string workingDirectory)
    {
        var ids = Ids();
        if (reference == Previous)
            return ids.Count >= 2 ? Load(PathOf(ids[^2])) : throw Unknown(reference, $"'{Previous}' needs two saved runs, there are {ids.Count}", ids);
        var path = Path.GetFullPath(reference, workingDirectory);
        if (File.Exists(path))
            return Path.GetExtension(path) == ".json" ? Load(path) : Find(Path.GetFileNameWithoutExtension(path), workingDirectory);
        if (ids.Contains(reference)) return Load(PathOf(reference));
        var matches = ids.Where(id => id.StartsWith(reference, StringComparison.Ordinal)).ToList();
        return matches switch
        {
            [var one] => Load(PathOf(one)),
            [] => throw Unknown(reference, "no saved run has this id", ids),
            _ => throw Unknown(reference, $"{matches.Count} saved runs start with it; give more of the id", matches),
        };
    }

    /// <summary>Reads a saved results file (bad input naming the file when it is not one).</summary>
    public static SavedResults Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<SavedResults>(File.ReadAllText(path), Json)
                ?? throw new BadInputException($"{path}: empty results file");
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}: not a saved results file of lorapar run: {e.Message}", e);
        }
    }

    private string PathOf(string id) => Path.Combine(Folder, id + ".json");

    private BadInputException Unknown(string reference, string why, IReadOnlyList<string> ids) => new(
        $"--against {reference}: {why}. " + (ids.Count == 0
            ? $"No run of '{manifest}' is saved yet in {Folder} ('{CommandHint.Lorapar} run' saves one)."
            : $"Saved runs of '{manifest}' (newest last): {string.Join(", ", ids.TakeLast(10))}."));
}

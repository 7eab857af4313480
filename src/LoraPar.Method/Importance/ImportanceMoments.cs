using System.Globalization;
using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// What every <see cref="ImportanceEstimator"/> is computed from: per system and LoRA tensor the scoring sums Σₖ gₖ and Σₖ gₖ²
/// with the example count N, and the LoRA values φ they were taken at (float64, CPU). Stored by the scores stage as
/// <c>importance_moments.safetensors</c> (keys <c>s1/sum/{name}</c>, <c>s1/square_sum/{name}</c>, <c>phi/{name}</c>; counts in the
/// metadata) so that the masks stage can swap the estimator without re-scoring. Owns its tensors.
/// </summary>
public sealed class ImportanceMoments : IDisposable
{
    /// <summary>The file name stages use for this artifact.</summary>
    public const string FileName = "importance_moments.safetensors";

    /// <summary>Takes owned float64 CPU copies of the sums of both systems (keyed by tensor name) and of φ.</summary>
    public ImportanceMoments(
        IReadOnlyDictionary<ReasoningSystem, IReadOnlyDictionary<string, (Tensor Sum, Tensor SquareSum)>> sums,
        IReadOnlyDictionary<ReasoningSystem, long> counts, IReadOnlyDictionary<string, Tensor> parameters)
    {
        Names = LoraTensorName.CanonicalOrder(parameters.Keys);
        Parameters = Names.ToDictionary(n => n, n => Own(parameters[n]));
        Sums = ReasoningSystemNames.All.ToDictionary(s => s, s => (IReadOnlyDictionary<string, (Tensor Sum, Tensor SquareSum)>)Names.ToDictionary(
            n => n, n => sums[s].TryGetValue(n, out var m) ? (Own(m.Sum), Own(m.SquareSum))
                : throw new ArgumentException($"no {s.Label()} sums for LoRA tensor '{n}'", nameof(sums))));
        Counts = ReasoningSystemNames.All.ToDictionary(s => s, s => counts[s]);
    }

    /// <summary>LoRA tensor names in canonical order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>φ per LoRA tensor.</summary>
    public IReadOnlyDictionary<string, Tensor> Parameters { get; }

    /// <summary>Σₖ gₖ and Σₖ gₖ² per system and LoRA tensor.</summary>
    public IReadOnlyDictionary<ReasoningSystem, IReadOnlyDictionary<string, (Tensor Sum, Tensor SquareSum)>> Sums { get; }

    /// <summary>N per system.</summary>
    public IReadOnlyDictionary<ReasoningSystem, long> Counts { get; }

    /// <summary>
    /// Both systems' scores under <paramref name="estimator"/>. <see cref="ImportanceEstimator.Random"/> draws each tensor of each
    /// system from its own seed, derived from <paramref name="seed"/>, the tensor's canonical position and the system.
    /// </summary>
    public ImportanceScores Scores(ImportanceEstimator estimator, long seed = 0)
    {
        using var scope = NewDisposeScope();
        var bySystem = ReasoningSystemNames.All.ToDictionary(s => s, s => Names.Select((n, i) => (n, i)).ToDictionary(
            x => x.n, x => ImportanceEstimate.Of(estimator, Sums[s][x.n].Sum, Sums[s][x.n].SquareSum, Counts[s], Parameters[x.n],
                RandomSeed(seed, x.i, s))));
        return new ImportanceScores(bySystem[ReasoningSystem.System1], bySystem[ReasoningSystem.System2]);
    }

    /// <summary>The seed of <see cref="ImportanceEstimator.Random"/> for the tensor at canonical position <paramref name="index"/> of <paramref name="system"/>.</summary>
    public static long RandomSeed(long seed, int index, ReasoningSystem system) =>
        unchecked(seed * 1_000_003 + 2 * index + (system == ReasoningSystem.System2 ? 1 : 0));

    /// <summary>Writes the moments atomically.</summary>
    public void Save(string path)
    {
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var system in ReasoningSystemNames.All)
            foreach (var name in Names)
            {
                tensors.Add(KeyValuePair.Create($"{system.KeyPrefix()}/sum/{name}", Sums[system][name].Sum));
                tensors.Add(KeyValuePair.Create($"{system.KeyPrefix()}/square_sum/{name}", Sums[system][name].SquareSum));
            }
        tensors.AddRange(Names.Select(n => KeyValuePair.Create($"phi/{n}", Parameters[n])));
        var metadata = ReasoningSystemNames.All.ToDictionary(s => CountKey(s), s => Counts[s].ToString(CultureInfo.InvariantCulture));
        SafetensorsFile.Write(path, tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal), metadata);
    }

    /// <summary>Reads what <see cref="Save"/> wrote; a missing or inconsistent file is bad input that names it.</summary>
    public static ImportanceMoments Load(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: importance moments not found; re-run the scores stage.");
        var header = SafetensorsHeader.Read(path);
        var raw = SafetensorsFile.ReadAll(path);
        try
        {
            var counts = ReasoningSystemNames.All.ToDictionary(s => s, s =>
                header.Metadata.TryGetValue(CountKey(s), out var text) && long.TryParse(text, CultureInfo.InvariantCulture, out var n) ? n
                    : throw new BadInputException($"{path}: no {CountKey(s)} in its metadata; re-run the scores stage."));
            var parameters = raw.Where(kv => kv.Key.StartsWith("phi/", StringComparison.Ordinal)).ToDictionary(kv => kv.Key[4..], kv => kv.Value);
            var sums = ReasoningSystemNames.All.ToDictionary(s => s, s => (IReadOnlyDictionary<string, (Tensor, Tensor)>)parameters.Keys.ToDictionary(
                n => n, n => (Entry(raw, $"{s.KeyPrefix()}/sum/{n}", path), Entry(raw, $"{s.KeyPrefix()}/square_sum/{n}", path))));
            return new ImportanceMoments(sums, counts, parameters);
        }
        finally
        {
            foreach (var t in raw.Values) t.Dispose();
        }
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var t in Parameters.Values) t.Dispose();
        foreach (var (sum, square) in Sums.Values.SelectMany(s => s.Values))
        {
            sum.Dispose();
            square.Dispose();
        }
    }

    private static Tensor Entry(Dictionary<string, Tensor> raw, string key, string path) =>
        raw.TryGetValue(key, out var t) ? t : throw new BadInputException($"{path}: no tensor '{key}'; re-run the scores stage.");

    private static Tensor Own(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().to(ScalarType.Float64, CPU).contiguous().clone().DetachFromDisposeScope();
    }

    private static string CountKey(ReasoningSystem system) => $"{system.KeyPrefix()}_examples";
}

using System.Text.Json;
using System.Text.Json.Serialization;
using LoraPar.Core;

namespace LoraPar.Method.Partition;

/// <summary>Bootstrap Jaccard of the four masks at one θ, and the full sample's overlap with the run's own θ.</summary>
/// <param name="Theta">The cut.</param>
/// <param name="Bootstrap">Per set (s1, s2, stage1, stage2): J(resample's set, full sample's set), mean and 95% percentile interval.</param>
/// <param name="VersusRunTheta">Per set: J(full sample's set at this θ, at the run's θ).</param>
public sealed record ThetaRobustness(double Theta, IReadOnlyDictionary<string, Interval> Bootstrap, IReadOnlyDictionary<string, double> VersusRunTheta);

/// <summary>The masks from the first <paramref name="Examples"/> scored examples of each system against the full sample's.</summary>
public sealed record PrefixRobustness(int Examples, IReadOnlyDictionary<string, double> Jaccard);

/// <summary>The masks of other LoRA-init seeds against the run's: per set the mean J and a bootstrap interval over seeds.</summary>
public sealed record SeedRobustness(IReadOnlyList<long> Seeds, IReadOnlyDictionary<string, Interval> Jaccard, IReadOnlyDictionary<string, IReadOnlyList<double>> Values);

/// <summary>
/// How stable LoRA-PAR's masks are (<c>robustness.json</c> of the masks stage): under bootstrap resampling of the scored examples
/// at every θ of a grid, on growing prefixes of the scored examples, and across LoRA-init seeds. Sets are s1, s2 (θ cuts),
/// stage1 and stage2 (active masks); all overlaps are Jaccard indices.
/// </summary>
/// <param name="Theta">The run's θ.</param>
/// <param name="Resamples">Bootstrap resamples (0: no resampling was asked for).</param>
/// <param name="Threshold">The Jaccard a prefix must reach, for every set, to count as stable.</param>
/// <param name="Thetas">The bootstrap per θ of the grid.</param>
/// <param name="Prefixes">Prefix sizes 2, 4, 8, … and the full sample.</param>
/// <param name="StableExamples">The smallest prefix size below the full sample from which every larger prefix keeps every set at
/// or above <paramref name="Threshold"/>; null when no smaller prefix does.</param>
/// <param name="Seeds">The seed comparison, or null.</param>
public sealed record MaskRobustnessReport(
    double Theta, int Resamples, double Threshold, IReadOnlyList<ThetaRobustness> Thetas, IReadOnlyList<PrefixRobustness> Prefixes,
    int? StableExamples, SeedRobustness? Seeds)
{
    /// <summary>The file name stages use for this artifact.</summary>
    public const string FileName = "robustness.json";

    /// <summary>The sets compared, in report order.</summary>
    public static IReadOnlyList<string> SetNames { get; } = ["s1", "s2", "stage1", "stage2"];

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>Writes <c>robustness.json</c> atomically.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Reads <c>robustness.json</c>; a malformed file is bad input that names it.</summary>
    public static MaskRobustnessReport Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<MaskRobustnessReport>(File.ReadAllText(path), Json)
                   ?? throw new BadInputException($"{path}: empty mask robustness; re-run the masks stage.");
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}:{e.LineNumber + 1}: malformed mask robustness ({e.Message}); re-run the masks stage.", e);
        }
    }
}

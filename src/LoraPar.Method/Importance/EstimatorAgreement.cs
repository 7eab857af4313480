using System.Text.Json;
using System.Text.Json.Serialization;
using LoraPar.Core;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>Spearman's ρ between two estimators' scores of one system over all LoRA elements pooled.</summary>
public sealed record EstimatorPair(string System, ImportanceEstimator First, ImportanceEstimator Second, double Spearman);

/// <summary>Spearman's ρ between an estimator and the paper's second-order score within one LoRA tensor.</summary>
public sealed record TensorAgreement(string System, string Tensor, ImportanceEstimator Estimator, double Spearman);

/// <summary>
/// How much the importance estimators agree on the ranking of LoRA elements (<c>estimators.json</c> of the scores stage):
/// Spearman's ρ (average ranks for ties) for every pair of estimators pooled over all elements of a system, and for every
/// estimator against <see cref="ImportanceEstimator.SecondOrder"/> within each LoRA tensor. A constant score (e.g. all-zero A
/// gradients) has no ranking: its ρ is NaN, written as null.
/// </summary>
public sealed record EstimatorAgreement(IReadOnlyList<EstimatorPair> Pooled, IReadOnlyList<TensorAgreement> PerTensor)
{
    /// <summary>The file name stages use for this artifact.</summary>
    public const string FileName = "estimators.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>The agreement of every estimator on <paramref name="moments"/> (the random estimator drawn from <paramref name="seed"/>).</summary>
    public static EstimatorAgreement Compute(ImportanceMoments moments, long seed)
    {
        var estimators = Enum.GetValues<ImportanceEstimator>();
        var pooled = new List<EstimatorPair>();
        var perTensor = new List<TensorAgreement>();
        foreach (var system in ReasoningSystemNames.All)
        {
            var scores = estimators.ToDictionary(e => e, e => Float64Scores(moments, system, e, seed));   // one system at a time: memory
            var flat = estimators.ToDictionary(e => e, e => SpearmanCorrelation.AverageRanks(moments.Names.SelectMany(n => scores[e][n]).ToArray()));
            for (var i = 0; i < estimators.Length; i++)
                for (var j = i + 1; j < estimators.Length; j++)
                    pooled.Add(new EstimatorPair(system.KeyPrefix(), estimators[i], estimators[j],
                        SpearmanCorrelation.OfRanks(flat[estimators[i]], flat[estimators[j]])));
            foreach (var name in moments.Names)
                foreach (var e in estimators.Skip(1))
                    perTensor.Add(new TensorAgreement(system.KeyPrefix(), name, e,
                        SpearmanCorrelation.Of(scores[ImportanceEstimator.SecondOrder][name], scores[e][name])));
        }
        return new EstimatorAgreement(pooled, perTensor);
    }

    /// <summary>Pooled ρ of <paramref name="estimator"/> with the second-order score for <paramref name="system"/>.</summary>
    public double WithSecondOrder(ReasoningSystem system, ImportanceEstimator estimator) =>
        Pooled.Single(p => p.System == system.KeyPrefix() && p.First == ImportanceEstimator.SecondOrder && p.Second == estimator).Spearman;

    /// <summary>Writes <c>estimators.json</c> atomically (NaN as null).</summary>
    public void Write(string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json).Replace("\"NaN\"", "null", StringComparison.Ordinal) + "\n");

    /// <summary>One estimator's float64 scores of <paramref name="system"/> as arrays, per tensor (flattened row-major).</summary>
    private static Dictionary<string, double[]> Float64Scores(ImportanceMoments moments, ReasoningSystem system, ImportanceEstimator estimator, long seed)
    {
        var result = new Dictionary<string, double[]>();
        foreach (var (name, index) in moments.Names.Select((n, i) => (n, i)))
        {
            using var scope = NewDisposeScope();
            var (sum, square) = moments.Sums[system][name];
            var score = ImportanceEstimate.Of(estimator, sum, square, moments.Counts[system], moments.Parameters[name],
                ImportanceMoments.RandomSeed(seed, index, system));
            result[name] = score.reshape(-1).data<double>().ToArray();
        }
        return result;
    }
}

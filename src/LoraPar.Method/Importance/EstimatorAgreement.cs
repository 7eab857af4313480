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
            // One estimator's pooled scores at a time, kept only as ranks (4 bytes an element): a 7B model has ~2·10⁷ LoRA
            // elements, and holding every estimator's float64 scores and ranks at once took ≈ 0.9 GiB of resident memory at 4 of its 32 layers.
            var ranks = estimators.ToDictionary(e => e, e => SpearmanCorrelation.TwiceAverageRanks(PooledScores(moments, system, e, seed)));
            for (var i = 0; i < estimators.Length; i++)
                for (var j = i + 1; j < estimators.Length; j++)
                    pooled.Add(new EstimatorPair(system.KeyPrefix(), estimators[i], estimators[j],
                        SpearmanCorrelation.OfTwiceRanks(ranks[estimators[i]], ranks[estimators[j]])));
            for (var index = 0; index < moments.Names.Count; index++)
            {
                var second = SpearmanCorrelation.TwiceAverageRanks(Float64Score(moments, system, ImportanceEstimator.SecondOrder, index, seed));
                foreach (var e in estimators.Skip(1))
                    perTensor.Add(new TensorAgreement(system.KeyPrefix(), moments.Names[index], e,
                        SpearmanCorrelation.OfTwiceRanks(second, SpearmanCorrelation.TwiceAverageRanks(Float64Score(moments, system, e, index, seed)))));
            }
        }
        return new EstimatorAgreement(pooled, perTensor);
    }

    /// <summary>Pooled ρ of <paramref name="estimator"/> with the second-order score for <paramref name="system"/>.</summary>
    public double WithSecondOrder(ReasoningSystem system, ImportanceEstimator estimator) =>
        Pooled.Single(p => p.System == system.KeyPrefix() && p.First == ImportanceEstimator.SecondOrder && p.Second == estimator).Spearman;

    /// <summary>Writes <c>estimators.json</c> atomically (NaN as null).</summary>
    public void Write(string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json).Replace("\"NaN\"", "null", StringComparison.Ordinal) + "\n");

    /// <summary>The scores of <paramref name="estimator"/> over all LoRA tensors of <paramref name="system"/>, in name order.</summary>
    private static double[] PooledScores(ImportanceMoments moments, ReasoningSystem system, ImportanceEstimator estimator, long seed)
    {
        var pooled = new double[moments.Names.Sum(n => moments.Parameters[n].numel())];
        var offset = 0;
        for (var index = 0; index < moments.Names.Count; index++)
        {
            var score = Float64Score(moments, system, estimator, index, seed);
            score.CopyTo(pooled, offset);
            offset += score.Length;
        }
        return pooled;
    }

    /// <summary>The float64 scores of <paramref name="estimator"/> for the LoRA tensor at <paramref name="index"/> of the names.</summary>
    private static double[] Float64Score(ImportanceMoments moments, ReasoningSystem system, ImportanceEstimator estimator, int index, long seed)
    {
        using var scope = NewDisposeScope();
        var name = moments.Names[index];
        var (sum, square) = moments.Sums[system][name];
        var score = ImportanceEstimate.Of(estimator, sum, square, moments.Counts[system], moments.Parameters[name],
            ImportanceMoments.RandomSeed(seed, index, system));
        return score.reshape(-1).data<double>().ToArray();
    }
}

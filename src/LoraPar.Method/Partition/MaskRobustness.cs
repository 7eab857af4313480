using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// Computes <see cref="MaskRobustnessReport"/> with the paper's second-order score. Bootstrap: each resample draws N examples
/// with replacement from each system's N scored examples (seeded, on the CPU), rescores from their gradients and partitions at
/// every θ of <see cref="ThetaGrid"/> and the run's θ; the 95% interval is the percentile interval of the resamples' Jaccard
/// with the full sample's mask. Prefixes rescore from the first k examples of each system (the sample is a seeded random draw,
/// so a prefix is a random subsample). Seeds partition other seeds' importance at the run's θ; their interval bootstraps the
/// mean over seeds.
/// </summary>
public static class MaskRobustness
{
    /// <summary>The θ grid of the bootstrap (the run's θ is added).</summary>
    public static IReadOnlyList<double> ThetaGrid { get; } = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0];

    /// <summary>Per-system gradients (N, n) and flat φ (n,); <paramref name="resamples"/> ≥ 1.</summary>
    public static (IReadOnlyList<ThetaRobustness> Thetas, IReadOnlyList<PrefixRobustness> Prefixes, int? Stable) Resample(
        IReadOnlyDictionary<ReasoningSystem, Tensor> examples, Tensor phi, PartitionOptions options, int resamples, double threshold)
    {
        using var scope = NewDisposeScope();
        var g = ReasoningSystemNames.All.ToDictionary(s => s, s => examples[s].to(ScalarType.Float64));   // (N, n)
        var thetas = ThetaGrid.Append(options.Theta).Distinct().Order().ToArray();
        var full = Partitions(Rank(g, phi, s => ones(g[s].shape[0], ScalarType.Float64)), thetas, options);
        var replicates = thetas.ToDictionary(t => t, _ => MaskRobustnessReport.SetNames.ToDictionary(n => n, _ => new List<double>()));
        using var generator = new Generator(unchecked((ulong)options.Seed));
        for (var b = 0; b < resamples; b++)
        {
            using var inner = NewDisposeScope();
            var sets = Partitions(Rank(g, phi, s => Counts(g[s].shape[0], generator)), thetas, options);
            foreach (var t in thetas) Add(replicates[t], Overlaps(sets[t], full[t]));
            foreach (var p in sets.Values) p.Dispose();
        }
        var result = thetas.Select(t => new ThetaRobustness(t,
            replicates[t].ToDictionary(kv => kv.Key, kv => PercentileInterval.Of(kv.Value)),
            Overlaps(full[t], full[options.Theta]))).ToList();
        var prefixes = Prefixes(g, phi, options, full[options.Theta]);
        foreach (var p in full.Values) p.Dispose();
        return (result, prefixes, Stable(prefixes, threshold));
    }

    /// <summary>The run's partition against other seeds' flat scores (s1, s2 each (n,)) at the run's θ.</summary>
    public static SeedRobustness Seeds(Tensor runS1, Tensor runS2, IReadOnlyList<(long Seed, Tensor S1, Tensor S2)> others, PartitionOptions options, int resamples)
    {
        using var run = ImportanceSelection.Select(runS1, runS2, options.Theta, options.Alpha, options.Beta);
        var values = MaskRobustnessReport.SetNames.ToDictionary(n => n, _ => new List<double>());
        foreach (var (_, s1, s2) in others)
        {
            using var sets = ImportanceSelection.Select(s1, s2, options.Theta, options.Alpha, options.Beta);
            Add(values, Overlaps(sets, run));
        }
        var draws = Math.Max(resamples, 1000);
        return new SeedRobustness(others.Select(o => o.Seed).ToList(),
            values.ToDictionary(kv => kv.Key, kv => MeanInterval(kv.Value, draws, options.Seed)),
            values.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value));
    }

    /// <summary>The percentile bootstrap interval of the mean of <paramref name="values"/> (mean: the sample mean).</summary>
    public static Interval MeanInterval(IReadOnlyList<double> values, int draws, long seed)
    {
        var random = new Random(unchecked((int)seed));
        var means = Enumerable.Range(0, draws).Select(_ => Enumerable.Range(0, values.Count).Average(_ => values[random.Next(values.Count)])).ToList();
        var interval = PercentileInterval.Of(means);
        return interval with { Mean = values.Average() };
    }

    private static List<PrefixRobustness> Prefixes(Dictionary<ReasoningSystem, Tensor> g, Tensor phi, PartitionOptions options, PartitionSets full)
    {
        var largest = (int)g.Values.Max(t => t.shape[0]);
        var sizes = Enumerable.Range(1, 30).Select(i => 1 << i).TakeWhile(k => k < largest).Append(largest);
        var result = new List<PrefixRobustness>();
        foreach (var k in sizes)
        {
            using var scope = NewDisposeScope();
            var rankings = Rank(g, phi, s => FirstExamples(k, g[s].shape[0]));
            using var sets = Partitions(rankings, [options.Theta], options)[options.Theta];
            result.Add(new PrefixRobustness(k, Overlaps(sets, full)));
        }
        return result;
    }

    /// <summary>Example weights (n,) float64 that keep the first <paramref name="k"/> examples (1) and drop the rest (0).</summary>
    private static Tensor FirstExamples(long k, long n)
    {
        using Scalar zero = 0.0;
        return ones(n, ScalarType.Float64).index_fill_(0, HeldScalars.Range(Math.Min(k, n), n), zero);
    }

    private static int? Stable(IReadOnlyList<PrefixRobustness> prefixes, double threshold)
    {
        int? stable = null;
        for (var i = prefixes.Count - 2; i >= 0 && prefixes[i].Jaccard.Values.All(j => j >= threshold); i--) stable = prefixes[i].Examples;
        return stable;
    }

    /// <summary>Both systems' second-order scores from example weights (multiplicities) w: Σ wₖ gₖ, Σ wₖ gₖ², N = Σ wₖ.</summary>
    private static ImportanceRanking[] Rank(Dictionary<ReasoningSystem, Tensor> g, Tensor phi, Func<ReasoningSystem, Tensor> weights) =>
        ReasoningSystemNames.All.Select(s =>
        {
            using var scope = NewDisposeScope();
            var w = weights(s);   // (N,) float64
            var score = SecondOrderImportance.FromMoments(w.matmul(g[s]), w.matmul(g[s].Squared()), (long)Math.Round(w.sum().item<double>()), phi);
            return ImportanceRanking.Of(score);
        }).ToArray();

    /// <summary>Multiplicities of a bootstrap draw of n out of n: (n,) float64.</summary>
    private static Tensor Counts(long n, Generator generator) =>
        bincount(randint(0, n, [n], ScalarType.Int64, generator: generator), minlength: n).to(ScalarType.Float64);

    private static Dictionary<double, PartitionSets> Partitions(ImportanceRanking[] rankings, double[] thetas, PartitionOptions options)
    {
        try
        {
            return thetas.ToDictionary(t => t, t => ImportanceSelection.Select(rankings[0], rankings[1], t, options.Alpha, options.Beta));
        }
        finally
        {
            foreach (var r in rankings) r.Dispose();
        }
    }

    private static Dictionary<string, double> Overlaps(PartitionSets a, PartitionSets b) => new()
    {
        ["s1"] = MaskJaccard.Of(a.System1, b.System1),
        ["s2"] = MaskJaccard.Of(a.System2, b.System2),
        ["stage1"] = MaskJaccard.Of(a.Stage1, b.Stage1),
        ["stage2"] = MaskJaccard.Of(a.Stage2, b.Stage2),
    };

    private static void Add(Dictionary<string, List<double>> into, Dictionary<string, double> values)
    {
        foreach (var (k, v) in values) into[k].Add(v);
    }
}

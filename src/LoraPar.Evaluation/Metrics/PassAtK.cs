namespace LoraPar.Evaluation.Metrics;

/// <summary>
/// The unbiased pass@k estimator of Chen et al. (2021): with n samples of which c pass,
/// pass@k = 1 − C(n−c, k)/C(n, k), computed in the numerically stable product form 1 − ∏_{i=n−c+1}^{n} (1 − k/i).
/// </summary>
public static class PassAtK
{
    /// <summary>The k values reported by default.</summary>
    public static IReadOnlyList<int> StandardKs { get; } = [1, 10, 100];

    /// <summary>pass@k for one problem with <paramref name="n"/> samples, <paramref name="c"/> of them correct; requires n ≥ k ≥ 1.</summary>
    public static double Estimate(int n, int c, int k)
    {
        if (k < 1 || n < k) throw new ArgumentOutOfRangeException(nameof(k), $"pass@{k} needs 1 <= k <= n (n = {n})");
        if (c < 0 || c > n) throw new ArgumentOutOfRangeException(nameof(c), $"correct count {c} must lie in [0, {n}]");
        if (n - c < k) return 1.0;
        var allFail = 1.0;
        for (var i = n - c + 1; i <= n; i++) allFail *= 1.0 - (double)k / i;
        return 1.0 - allFail;
    }

    /// <summary>
    /// The mean pass@k over problems, for each k in <paramref name="ks"/> that every problem has enough samples for
    /// (n ≥ k for all problems); a k that some problem cannot support is left out.
    /// </summary>
    public static IReadOnlyDictionary<int, double> Mean(IReadOnlyList<(int Samples, int Correct)> problems, IEnumerable<int> ks)
    {
        var result = new SortedDictionary<int, double>();
        if (problems.Count == 0) return result;
        foreach (var k in ks)
        {
            if (problems.Any(p => p.Samples < k)) continue;
            result[k] = problems.Average(p => Estimate(p.Samples, p.Correct, k));
        }
        return result;
    }
}

namespace LoraPar.Method.Splitter;

/// <summary>
/// Fleiss' kappa: agreement among a fixed number n of raters putting N items into k categories, beyond chance.
/// κ = (P̄ − P̄e) / (1 − P̄e), with P_i = (Σ_j n_ij² − n) / (n (n − 1)), P̄ = mean P_i, p_j = Σ_i n_ij / (N n), P̄e = Σ_j p_j².
/// </summary>
public static class FleissKappa
{
    /// <summary>
    /// κ for <paramref name="counts"/>[i][j] = number of raters who put item i in category j (every row sums to the same n ≥ 2).
    /// Returns NaN when chance agreement is 1 (every rating in one category), where κ is undefined.
    /// </summary>
    public static double Compute(IReadOnlyList<IReadOnlyList<int>> counts)
    {
        if (counts.Count == 0) throw new ArgumentException("no items", nameof(counts));
        var k = counts[0].Count;
        var n = counts[0].Sum();
        if (n < 2) throw new ArgumentException($"Fleiss' kappa needs at least 2 raters per item, item 0 has {n}", nameof(counts));
        var categoryTotals = new double[k];
        double sumPi = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            var row = counts[i];
            if (row.Count != k) throw new ArgumentException($"item {i} has {row.Count} categories, item 0 has {k}", nameof(counts));
            if (row.Any(c => c < 0)) throw new ArgumentException($"item {i} has a negative count", nameof(counts));
            if (row.Sum() != n) throw new ArgumentException($"item {i} has {row.Sum()} ratings, item 0 has {n}", nameof(counts));
            double squares = 0;
            for (var j = 0; j < k; j++)
            {
                squares += (double)row[j] * row[j];
                categoryTotals[j] += row[j];
            }
            sumPi += (squares - n) / ((double)n * (n - 1));
        }
        var pBar = sumPi / counts.Count;
        var totalRatings = (double)counts.Count * n;
        var pe = categoryTotals.Sum(t => (t / totalRatings) * (t / totalRatings));
        return pe >= 1.0 - 1e-12 ? double.NaN : (pBar - pe) / (1 - pe);
    }
}

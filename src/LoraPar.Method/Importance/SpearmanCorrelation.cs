namespace LoraPar.Method.Importance;

/// <summary>
/// Spearman's rank correlation ρ: the Pearson correlation of the two samples' ranks, ties given their average rank (the
/// standard tie correction, as <c>scipy.stats.spearmanr</c>). Pure functions over arrays.
/// </summary>
public static class SpearmanCorrelation
{
    /// <summary>ρ of <paramref name="x"/> and <paramref name="y"/> (same length ≥ 2); NaN when either sample is constant.</summary>
    public static double Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"samples of {x.Count} and {y.Count} values cannot be paired", nameof(y));
        return OfRanks(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>1-based ranks in ascending order; a run of equal values gets the mean of the ranks it spans.</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        var n = values.Count;
        var order = Enumerable.Range(0, n).ToArray();
        var keys = values.ToArray();
        Array.Sort(keys, order);
        var ranks = new double[n];
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start]) end++;
            var rank = (start + 1 + end) / 2.0;   // mean of ranks start+1 … end
            for (var i = start; i < end; i++) ranks[order[i]] = rank;
            start = end;
        }
        return ranks;
    }

    /// <summary>The Pearson correlation of two rank vectors (ρ when they come from <see cref="AverageRanks"/>).</summary>
    public static double OfRanks(IReadOnlyList<double> rx, IReadOnlyList<double> ry)
    {
        var n = rx.Count;
        if (n != ry.Count) throw new ArgumentException($"rank vectors of {n} and {ry.Count} values cannot be paired", nameof(ry));
        if (n < 2) throw new ArgumentException("a correlation needs at least two pairs", nameof(rx));
        double mx = 0, my = 0;
        for (var i = 0; i < n; i++) { mx += rx[i]; my += ry[i]; }
        (mx, my) = (mx / n, my / n);
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            var (dx, dy) = (rx[i] - mx, ry[i] - my);
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}

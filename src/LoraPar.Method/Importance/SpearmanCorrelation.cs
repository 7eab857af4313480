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
    public static double[] AverageRanks(IReadOnlyList<double> values) =>
        Array.ConvertAll(TwiceAverageRanks(values.ToArray()), twice => twice / 2.0);

    /// <summary>
    /// Twice the <see cref="AverageRanks"/> of <paramref name="keys"/>, which it sorts in place: integers, so exact, at 4
    /// bytes an element and no copy of the sample — the form for the ~10⁷ pooled LoRA elements of a 7B model.
    /// </summary>
    public static int[] TwiceAverageRanks(double[] keys)
    {
        var n = keys.Length;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(keys, order);
        var twice = new int[n];
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start]) end++;
            var sum = checked(start + 1 + end);   // twice the mean of ranks start+1 … end
            for (var i = start; i < end; i++) twice[order[i]] = sum;
            start = end;
        }
        return twice;
    }

    /// <summary>ρ from two samples' <see cref="TwiceAverageRanks"/>: <see cref="OfRanks"/> of the halved values, bit for bit.</summary>
    public static double OfTwiceRanks(int[] rx, int[] ry) => OfRanks(new HalvedRanks(rx), new HalvedRanks(ry));

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

    /// <summary>Average ranks read from twice their values without a copy: element i is twice[i] / 2, exactly.</summary>
    private sealed class HalvedRanks(int[] twice) : IReadOnlyList<double>
    {
        public int Count => twice.Length;

        public double this[int index] => twice[index] / 2.0;

        public IEnumerator<double> GetEnumerator() => twice.Select(t => t / 2.0).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

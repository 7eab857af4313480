namespace LoraPar.Core;

/// <summary>Seeded subsampling and train/eval splits: pure functions of (items, size, seed), stable across runs and platforms.</summary>
public static class DeterministicSampling
{
    /// <summary>A seeded permutation of 0..n−1: a Fisher–Yates shuffle driven by <see cref="DeterministicRandom"/> (SplitMix64, unbiased draws).</summary>
    public static int[] Permutation(int n, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return new DeterministicRandom(seed).Shuffle(Enumerable.Range(0, n)).ToArray();
    }

    /// <summary>The items in a seeded random order.</summary>
    public static IReadOnlyList<T> Shuffle<T>(IReadOnlyList<T> items, long seed) =>
        Permutation(items.Count, seed).Select(i => items[i]).ToList();

    /// <summary>
    /// A seeded random subset of <paramref name="count"/> items, kept in their original order;
    /// all items when <paramref name="count"/> is at least their number.
    /// </summary>
    public static IReadOnlyList<T> Subsample<T>(IReadOnlyList<T> items, int count, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count >= items.Count) return items.ToList();
        return Permutation(items.Count, seed).Take(count).Order().Select(i => items[i]).ToList();
    }

    /// <summary>
    /// Splits the items into a train part and an eval part of <paramref name="evalCount"/> items chosen at random;
    /// both keep the original order, and together they hold every item exactly once.
    /// </summary>
    public static (IReadOnlyList<T> Train, IReadOnlyList<T> Eval) Split<T>(IReadOnlyList<T> items, int evalCount, long seed)
    {
        if (evalCount < 0 || evalCount > items.Count)
            throw new ArgumentOutOfRangeException(nameof(evalCount), $"eval size {evalCount} must lie in [0, {items.Count}]");
        var evalSet = Permutation(items.Count, seed).Take(evalCount).ToHashSet();
        var train = new List<T>(items.Count - evalCount);
        var eval = new List<T>(evalCount);
        for (var i = 0; i < items.Count; i++) (evalSet.Contains(i) ? eval : train).Add(items[i]);
        return (train, eval);
    }

    /// <summary>As <see cref="Split{T}(IReadOnlyList{T}, int, long)"/> with an eval part of round(fraction · n) items.</summary>
    public static (IReadOnlyList<T> Train, IReadOnlyList<T> Eval) SplitFraction<T>(IReadOnlyList<T> items, double evalFraction, long seed)
    {
        if (evalFraction is < 0 or > 1 || double.IsNaN(evalFraction))
            throw new ArgumentOutOfRangeException(nameof(evalFraction), $"eval fraction {evalFraction} must lie in [0, 1]");
        return Split(items, (int)Math.Round(evalFraction * items.Count, MidpointRounding.AwayFromZero), seed);
    }
}

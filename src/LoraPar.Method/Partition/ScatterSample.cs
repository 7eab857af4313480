using LoraPar.Core;

namespace LoraPar.Method.Partition;

/// <summary>
/// The elements the importance scatter draws when an adapter has more than it can show: a uniform random subset of the flat
/// indices, drawn by Floyd's algorithm from its own SplitMix64 stream of the run's seed. It shares nothing with the random
/// control's torch permutation (<see cref="RandomControl"/>), whose first elements are exactly the ones a random mask selects,
/// so every region (System 1 only, System 2 only, shared, neither) is drawn in proportion to its size (pure).
/// </summary>
public static class ScatterSample
{
    /// <summary>The stream of the run's seed the sample draws from (no other consumer uses it).</summary>
    private const int Stream = 0x5CA7;

    /// <summary>
    /// <paramref name="count"/> distinct indices of 0..<paramref name="n"/>−1, ascending, every subset equally likely; all of
    /// them when <paramref name="count"/> ≥ <paramref name="n"/>.
    /// </summary>
    public static long[] Indices(long n, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count >= n) return Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray();
        var random = DeterministicRandom.ForStream(seed, Stream);
        var chosen = new HashSet<long>(count);
        for (var j = n - count; j < n; j++)   // Floyd: after step j the set is a uniform subset of 0..j of its size
        {
            var t = (long)random.NextBelow((ulong)j + 1);
            chosen.Add(chosen.Contains(t) ? j : t);
        }
        return chosen.Order().ToArray();
    }
}

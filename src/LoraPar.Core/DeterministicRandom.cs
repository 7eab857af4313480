namespace LoraPar.Core;

/// <summary>
/// SplitMix64: a tiny, fully specified pseudo-random generator, so that a seed gives the same task on every runtime
/// and .NET version (System.Random's seeded sequence is an implementation detail). Not for cryptography.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _state;

    /// <summary>Starts the sequence for <paramref name="seed"/>.</summary>
    public DeterministicRandom(long seed) => _state = unchecked((ulong)seed);

    /// <summary>A generator for an independent stream <paramref name="stream"/> of <paramref name="seed"/>.</summary>
    public static DeterministicRandom ForStream(long seed, int stream) =>
        new(unchecked((long)Mix((ulong)seed ^ Mix(0x5EED_0000UL + (ulong)stream))));

    /// <summary>The next 64 random bits.</summary>
    public ulong NextBits()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Mix(_state);
    }

    /// <summary>
    /// A uniform integer in [0, <paramref name="bound"/>) without modulo bias: 64 random bits are kept only below the
    /// largest multiple of <paramref name="bound"/> that fits in 2^64, then reduced modulo <paramref name="bound"/>.
    /// When <paramref name="bound"/> divides 2^64 (a power of two) nothing is rejected and the draw is the plain modulo.
    /// </summary>
    public ulong NextBelow(ulong bound)
    {
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        var excess = (0UL - bound) % bound;                            // 2^64 mod bound: the values past the last whole multiple
        var limit = ulong.MaxValue - excess;                           // accepting bits <= limit keeps 2^64 - excess values
        ulong bits;
        do bits = NextBits(); while (bits > limit);
        return bits % bound;
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="max"/>] (both inclusive), without modulo bias.</summary>
    public int Next(int min, int max)
    {
        if (max < min) throw new ArgumentOutOfRangeException(nameof(max), $"empty range [{min}, {max}]");
        return (int)((long)min + (long)NextBelow((ulong)((long)max - min) + 1));
    }

    /// <summary>A uniform index in [0, <paramref name="count"/>).</summary>
    public int Index(int count) => Next(0, count - 1);

    /// <summary>A uniformly chosen element.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Index(items.Count)];

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextBits() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A Fisher–Yates shuffle into a new list.</summary>
    public List<T> Shuffle<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = Next(0, i);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}

namespace LoraPar.Cli.Tests.MalformedCorpus;

/// <summary>Seeded misspellings: two adjacent, different letters swapped, as fingers do.</summary>
public static class Typos
{
    /// <summary>A misspelling of <paramref name="word"/> that differs from it even ignoring case.</summary>
    public static string Of(string word, Random rng)
    {
        var positions = Enumerable.Range(0, Math.Max(0, word.Length - 1))
            .Where(i => char.IsLetter(word[i]) && char.IsLetter(word[i + 1]) && char.ToLowerInvariant(word[i]) != char.ToLowerInvariant(word[i + 1]))
            .ToList();
        if (positions.Count == 0) return word + "x";
        var at = positions[rng.Next(positions.Count)];
        var chars = word.ToCharArray();
        (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
        return new string(chars);
    }

    /// <summary>Up to <paramref name="count"/> distinct items in an order drawn from <paramref name="rng"/>.</summary>
    public static IReadOnlyList<T> Pick<T>(IReadOnlyList<T> items, int count, Random rng) =>
        items.Select((item, i) => (item, key: rng.Next())).OrderBy(x => x.key).Take(count).Select(x => x.item).ToList();
}

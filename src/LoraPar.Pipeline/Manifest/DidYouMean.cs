namespace LoraPar.Pipeline.Manifest;

/// <summary>Suggests the closest known word for a misspelt key or enum value (Levenshtein distance).</summary>
public static class DidYouMean
{
    /// <summary>The edit distance between two strings (insertions, deletions, substitutions each cost 1).</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>Words longer than this are no misspelling of a key or value (and would make the distance slow).</summary>
    private const int MaxWord = 64;

    /// <summary>The closest candidate within a distance of max(2, a third of its length), or null when none is close.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        if (word.Length > MaxWord) return null;
        var lower = word.ToLowerInvariant();
        return candidates
            .Select(c => (Candidate: c, Distance: Distance(lower, c.ToLowerInvariant())))
            .Where(x => x.Distance <= Math.Max(2, x.Candidate.Length / 3))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Candidate, StringComparer.Ordinal)
            .Select(x => x.Candidate)
            .FirstOrDefault();
    }

    /// <summary>"; did you mean 'x'?" or an empty string.</summary>
    public static string Hint(string word, IEnumerable<string> candidates) =>
        Closest(word, candidates) is { } best ? $"; did you mean '{best}'?" : "";
}

using System.Globalization;
using System.Text;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// ROUGE-L (Lin, 2004): the longest common subsequence of two token sequences, as an F-measure with β = 1,
/// F = 2·P·R / (P + R) where P = LCS / |candidate| and R = LCS / |reference|. Tokens are the lower-cased runs of letters and
/// digits; every other character separates them (so punctuation and whitespace layout do not count, as in the
/// rouge-score package's default tokenizer).
/// </summary>
public static class RougeL
{
    /// <summary>The ROUGE-L F-measure of <paramref name="candidate"/> against <paramref name="reference"/>, in [0, 1]; 0 when either has no token.</summary>
    public static double F1(string candidate, string reference)
    {
        var (c, r) = (Tokens(candidate), Tokens(reference));
        if (c.Count == 0 || r.Count == 0) return 0.0;
        var lcs = LongestCommonSubsequence(c, r);
        if (lcs == 0) return 0.0;
        var (precision, recall) = (lcs / (double)c.Count, lcs / (double)r.Count);
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>The tokens of <paramref name="text"/>: lower-cased maximal runs of letters and digits.</summary>
    public static IReadOnlyList<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                current.Append(char.ToLower(ch, CultureInfo.InvariantCulture));
                continue;
            }
            if (current.Length == 0) continue;
            tokens.Add(current.ToString());
            current.Clear();
        }
        if (current.Length > 0) tokens.Add(current.ToString());
        return tokens;
    }

    /// <summary>The length of the longest common subsequence of <paramref name="a"/> and <paramref name="b"/> (two-row dynamic programme).</summary>
    public static int LongestCommonSubsequence(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
                current[j] = string.Equals(a[i - 1], b[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }
}

using System.Text.RegularExpressions;

namespace LoraPar.Evaluation.Own;

/// <summary>
/// SQuAD v1.1's <c>normalize_answer</c> (its official evaluation script): lower-case, remove ASCII punctuation (Python's
/// <c>string.punctuation</c>), replace the articles <c>a</c>, <c>an</c>, <c>the</c> (whole words) by a space, then collapse
/// whitespace to single spaces and trim — in that order, so <c>"The Cat's hat!"</c> → <c>"cats hat"</c>.
/// </summary>
public static partial class AnswerNormalization
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>The normalised form of <paramref name="text"/>.</summary>
    public static string Normalize(string text)
    {
        var lower = text.ToLowerInvariant();
        var unpunctuated = string.Concat(lower.Where(c => !Punctuation.Contains(c)));
        var noArticles = Articles().Replace(unpunctuated, " ");
        return string.Join(' ', noArticles.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    [GeneratedRegex(@"\b(a|an|the)\b")]
    private static partial Regex Articles();
}

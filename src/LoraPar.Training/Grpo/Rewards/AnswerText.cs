using System.Globalization;
using System.Text.RegularExpressions;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>Extracts answers from completions and compares them with a gold number.</summary>
public static partial class AnswerText
{
    private const string OpenTag = "<answer>";
    private const string CloseTag = "</answer>";

    [GeneratedRegex(@"####\s*(-?[0-9][0-9,]*(?:\.[0-9]+)?)", RegexOptions.CultureInvariant)]
    private static partial Regex HashAnswerPattern();

    /// <summary>
    /// The trimmed text after the last <c>&lt;answer&gt;</c> up to the next <c>&lt;/answer&gt;</c> (or to the end when it is
    /// never closed, as in the authors' example); null when the completion has no <c>&lt;answer&gt;</c> at all. Unlike the
    /// authors' example, a completion without the tag does not count as its own answer.
    /// </summary>
    public static string? ExtractXmlAnswer(string completion)
    {
        var open = completion.LastIndexOf(OpenTag, StringComparison.Ordinal);
        if (open < 0) return null;
        var start = open + OpenTag.Length;
        var close = completion.IndexOf(CloseTag, start, StringComparison.Ordinal);
        return (close < 0 ? completion[start..] : completion[start..close]).Trim();
    }

    /// <summary>
    /// The authors' <c>extract_xml_answer</c>: <c>text.split("&lt;answer&gt;")[-1].split("&lt;/answer&gt;")[0].strip()</c> —
    /// as <see cref="ExtractXmlAnswer"/>, except that a completion without the tag is its own answer (up to a first
    /// <c>&lt;/answer&gt;</c>).
    /// </summary>
    public static string ExtractXmlAnswerAsAuthors(string completion) =>
        PythonText.Strip(PythonText.FirstPiece(PythonText.LastPiece(completion, OpenTag).ToString(), CloseTag));

    /// <summary>
    /// The authors' gold answer: the text after GSM8K's <c>####</c> with commas and <c>$</c> removed (their
    /// <c>extract_hash_answer</c>; lorapar's gold is that number already, so this only strips what a file's gold still holds).
    /// </summary>
    public static string AuthorsGold(string gold) => PythonText.Strip(gold).Replace(",", "", StringComparison.Ordinal).Replace("$", "", StringComparison.Ordinal);

    /// <summary>The number right after the first <c>####</c> (GSM8K's final-answer marker), or null when there is none.</summary>
    public static string? ExtractHashAnswer(string completion)
    {
        var match = HashAnswerPattern().Match(completion);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// Whether <paramref name="extracted"/> equals <paramref name="gold"/>: equal after trimming, or both read as the same
    /// number once thousands commas are removed ("1,000" = "1000", "18.0" = "18"). Null never matches.
    /// </summary>
    public static bool MatchesGold(string? extracted, string gold)
    {
        if (extracted is null) return false;
        var (a, b) = (extracted.Trim(), gold.Trim());
        if (a.Length == 0) return false;
        if (string.Equals(a, b, StringComparison.Ordinal)) return true;
        return TryNumber(a, out var x) && TryNumber(b, out var y) && x == y;
    }

    private static bool TryNumber(string text, out decimal value) =>
        decimal.TryParse(text.Replace(",", "", StringComparison.Ordinal),
            NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
}

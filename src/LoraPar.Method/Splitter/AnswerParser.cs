using System.Text.RegularExpressions;

namespace LoraPar.Method.Splitter;

/// <summary>
/// Reads "System 1" / "System 2" out of a teacher's free-text reply: tolerant of case, markdown, punctuation, hyphens,
/// number words, a bare "1" / "2", a leading sentence ("I think System 1.") and a reasoning model's &lt;think&gt; block.
/// A reply naming neither system, or both without a clear final choice, is an abstention.
/// </summary>
public static class AnswerParser
{
    private static readonly Regex Think = new(@"<think>.*?(</think>|$)", RegexOptions.Singleline | RegexOptions.IgnoreCase);
    private static readonly Regex Decoration = new(@"[*_`#>""'“”‘’]+");
    private static readonly Regex Mention = new(
        @"\bsystem\s*[-_:]?\s*(1|2|one|two)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex Bare = new(@"^\(?\s*(1|2|one|two)\s*\)?\s*[.!:]?$", RegexOptions.IgnoreCase);
    private static readonly Regex FinalMarker = new(@"(final answer|answer|classification|label)\s*(is)?\s*[:=-]?\s*$",
        RegexOptions.IgnoreCase);

    /// <summary>The vote <paramref name="raw"/> expresses, or <see cref="Vote.Abstain"/>.</summary>
    public static Vote Parse(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return Vote.Abstain;
        var text = Decoration.Replace(Think.Replace(raw, " "), " ").Trim();
        var bare = Bare.Match(text);
        if (bare.Success) return FromToken(bare.Groups[1].Value);
        var mentions = Mention.Matches(text);
        if (mentions.Count == 0) return Vote.Abstain;
        var votes = mentions.Select(m => FromToken(m.Groups[1].Value)).ToList();
        if (votes.Distinct().Count() == 1) return votes[0];
        // Both systems are named: accept the one named after "answer:", else a reply that starts with its choice.
        for (var i = mentions.Count - 1; i >= 0; i--)
        {
            if (FinalMarker.IsMatch(text[..mentions[i].Index])) return votes[i];
        }
        return mentions[0].Index == 0 ? votes[0] : Vote.Abstain;
    }

    private static Vote FromToken(string token) => token.ToLowerInvariant() switch
    {
        "1" or "one" => Vote.System1,
        _ => Vote.System2,
    };
}

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// Partial credit for the tags, so that a model learns the layout piece by piece: each of the four markers
/// <c>"&lt;reasoning&gt;\n"</c>, <c>"\n&lt;/reasoning&gt;\n"</c>, <c>"\n&lt;answer&gt;\n"</c>, <c>"\n&lt;/answer&gt;"</c> earns
/// <see cref="PerTag"/> when it occurs exactly once (Python's <c>str.count</c>), and each earned answer marker pays
/// <see cref="PenaltyPerTrailingChar"/> per character of a tail.
/// <para>Under <see cref="RewardRules.Authors"/> the authors' <c>count_xml</c>: the <c>"\n&lt;answer&gt;\n"</c> credit pays for
/// <c>len(text.split("\n&lt;/answer&gt;\n")[-1])</c> and the <c>"\n&lt;/answer&gt;"</c> credit for
/// <c>len(text.split("\n&lt;/answer&gt;")[-1]) - 1</c>. <c>split</c> returns the whole text when the marker is absent, so a
/// completion that ends right at <c>"\n&lt;/answer&gt;"</c> pays for every character on the first credit and gains 0.001 on
/// the second: 400 characters with all four markers score 0.5 − 0.400 + 0.001 = 0.101.</para>
/// <para>Under <see cref="RewardRules.Lorapar"/> both credits pay for the characters after the last <c>"\n&lt;/answer&gt;"</c>,
/// less one newline right after it (none when it is absent). The ideal completion, ending <c>"\n&lt;/answer&gt;\n"</c>, scores
/// 4 × 0.125 = 0.5 under both; a long tail can make the score negative.</para>
/// </summary>
public static class XmlTagCountReward
{
    /// <summary>Credit per well-placed tag.</summary>
    public const double PerTag = 0.125;

    /// <summary>Penalty per tail character, applied once per earned answer marker.</summary>
    public const double PenaltyPerTrailingChar = 0.001;

    /// <summary>The most a completion can score.</summary>
    public const double Value = 4 * PerTag;

    private const string AnswerClose = "\n</answer>";
    private const string AnswerCloseLine = "\n</answer>\n";

    /// <summary>Scores one completion.</summary>
    public static double Score(string completion, RewardRules rules) =>
        rules == RewardRules.Authors ? CountXml(completion) : LoraparCount(completion);

    /// <summary>The authors' <c>count_xml</c>, step for step (the same floating-point operations in the same order).</summary>
    private static double CountXml(string text)
    {
        var count = 0.0;
        if (PythonText.Count(text, "<reasoning>\n") == 1) count += PerTag;
        if (PythonText.Count(text, "\n</reasoning>\n") == 1) count += PerTag;
        if (PythonText.Count(text, "\n<answer>\n") == 1)
        {
            count += PerTag;
            count -= PythonText.Length(PythonText.LastPiece(text, AnswerCloseLine)) * PenaltyPerTrailingChar;
        }
        if (PythonText.Count(text, AnswerClose) == 1)
        {
            count += PerTag;
            count -= (PythonText.Length(PythonText.LastPiece(text, AnswerClose)) - 1) * PenaltyPerTrailingChar;
        }
        return count;
    }

    private static double LoraparCount(string completion)
    {
        var trailing = TrailingCharacters(completion);
        var score = 0.0;
        if (PythonText.Count(completion, "<reasoning>\n") == 1) score += PerTag;
        if (PythonText.Count(completion, "\n</reasoning>\n") == 1) score += PerTag;
        if (PythonText.Count(completion, "\n<answer>\n") == 1) score += PerTag - PenaltyPerTrailingChar * trailing;
        if (PythonText.Count(completion, AnswerClose) == 1) score += PerTag - PenaltyPerTrailingChar * trailing;
        return score;
    }

    /// <summary>lorapar's tail: characters after the last <c>"\n&lt;/answer&gt;"</c>, less one newline directly after it; 0 without it.</summary>
    public static int TrailingCharacters(string completion)
    {
        var at = completion.LastIndexOf(AnswerClose, StringComparison.Ordinal);
        if (at < 0) return 0;
        var tail = completion.AsSpan(at + AnswerClose.Length);
        return tail.StartsWith("\n", StringComparison.Ordinal) ? tail.Length - 1 : tail.Length;
    }
}

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// Partial credit for the tags, so that a model learns the layout piece by piece. Each of the four tag markers
/// <c>"&lt;reasoning&gt;\n"</c>, <c>"\n&lt;/reasoning&gt;\n"</c>, <c>"\n&lt;answer&gt;\n"</c>, <c>"\n&lt;/answer&gt;"</c>
/// earns <see cref="PerTag"/> when it occurs exactly once. Text after the answer is penalised as in the authors' example:
/// each of the two answer markers, when earned, loses <see cref="PenaltyPerTrailingChar"/> per trailing character, where
/// the trailing characters are those after the last <c>"\n&lt;/answer&gt;"</c> not counting one newline right after it
/// (none when that marker is absent). The ideal completion scores 4 × 0.125 = 0.5; a long tail can make the score negative.
/// </summary>
public static class XmlTagCountReward
{
    /// <summary>Credit per well-placed tag.</summary>
    public const double PerTag = 0.125;

    /// <summary>Penalty per trailing character, applied once per earned answer marker.</summary>
    public const double PenaltyPerTrailingChar = 0.001;

    /// <summary>The most a completion can score.</summary>
    public const double Value = 4 * PerTag;

    /// <summary>Scores one completion.</summary>
    public static double Score(string completion)
    {
        var trailing = TrailingCharacters(completion);
        var score = 0.0;
        if (Occurrences(completion, "<reasoning>\n") == 1) score += PerTag;
        if (Occurrences(completion, "\n</reasoning>\n") == 1) score += PerTag;
        if (Occurrences(completion, "\n<answer>\n") == 1) score += PerTag - PenaltyPerTrailingChar * trailing;
        if (Occurrences(completion, "\n</answer>") == 1) score += PerTag - PenaltyPerTrailingChar * trailing;
        return score;
    }

    /// <summary>Characters after the last <c>"\n&lt;/answer&gt;"</c>, less one newline directly after it; 0 without it.</summary>
    public static int TrailingCharacters(string completion)
    {
        const string close = "\n</answer>";
        var at = completion.LastIndexOf(close, StringComparison.Ordinal);
        if (at < 0) return 0;
        var tail = completion.AsSpan(at + close.Length);
        return tail.StartsWith("\n", StringComparison.Ordinal) ? tail.Length - 1 : tail.Length;
    }

    /// <summary>Non-overlapping ordinal occurrences of <paramref name="marker"/>, as Python's <c>str.count</c>.</summary>
    public static int Occurrences(string text, string marker)
    {
        var count = 0;
        for (var at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}

using System.Text.RegularExpressions;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// <see cref="Value"/> when the <c>&lt;answer&gt;</c> content is an integer (ASCII digits with an optional leading minus;
/// the authors' <c>str.isdigit()</c> rejects negative numbers, GSM8K has none), else 0.
/// </summary>
public static partial class IntegerAnswerReward
{
    /// <summary>The reward for an integer answer (the authors' 0.5).</summary>
    public const double Value = 0.5;

    [GeneratedRegex(@"\A-?[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    /// <summary>Scores one completion.</summary>
    public static double Score(string completion) =>
        AnswerText.ExtractXmlAnswer(completion) is { } answer && Integer().IsMatch(answer) ? Value : 0.0;
}

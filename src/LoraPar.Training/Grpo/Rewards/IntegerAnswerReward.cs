using System.Text.RegularExpressions;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// <see cref="Value"/> when the <c>&lt;answer&gt;</c> content is an integer, else 0. Under <see cref="RewardRules.Authors"/>
/// the authors' <c>int_reward_func</c>: Python's <c>str.isdigit()</c> of their extracted answer (no sign, so "-3" scores 0;
/// a completion without tags is its own answer, so a bare "42" scores). Under <see cref="RewardRules.Lorapar"/>: ASCII
/// digits with an optional leading minus inside the tag.
/// </summary>
public static partial class IntegerAnswerReward
{
    /// <summary>The reward for an integer answer (the authors' 0.5).</summary>
    public const double Value = 0.5;

    [GeneratedRegex(@"\A-?[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    /// <summary>Scores one completion.</summary>
    public static double Score(string completion, RewardRules rules) => rules == RewardRules.Authors
        ? PythonText.IsDigit(AnswerText.ExtractXmlAnswerAsAuthors(completion)) ? Value : 0.0
        : AnswerText.ExtractXmlAnswer(completion) is { } answer && Integer().IsMatch(answer) ? Value : 0.0;
}

using System.Text.RegularExpressions;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// <see cref="Value"/> when the completion starts with <c>&lt;reasoning&gt;…&lt;/reasoning&gt;</c>, then optional white
/// space, then <c>&lt;answer&gt;…&lt;/answer&gt;</c> (anything may follow), else 0: the authors' pattern
/// <c>&lt;reasoning&gt;.*?&lt;/reasoning&gt;\s*&lt;answer&gt;.*?&lt;/answer&gt;</c> with <c>re.match</c> (anchored at the start)
/// and DOTALL (contents may span lines). Under <see cref="RewardRules.Authors"/> the completion is stripped first, as
/// their <c>soft_format_reward_func</c> does, so a leading newline still scores; under <see cref="RewardRules.Lorapar"/> it is not.
/// </summary>
public static partial class SoftFormatReward
{
    /// <summary>The reward for the loose layout (the authors' 0.5).</summary>
    public const double Value = 0.5;

    // \s as Python's: .NET's white space plus U+001C–U+001F.
    [GeneratedRegex(@"\A<reasoning>.*?</reasoning>[\s\x1c-\x1f]*<answer>.*?</answer>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Layout();

    /// <summary>Scores one completion.</summary>
    public static double Score(string completion, RewardRules rules) =>
        Layout().IsMatch(rules == RewardRules.Authors ? PythonText.Strip(completion) : completion) ? Value : 0.0;
}

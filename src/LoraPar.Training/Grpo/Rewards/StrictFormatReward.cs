using System.Text.RegularExpressions;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// <see cref="Value"/> for exactly the layout <c>&lt;reasoning&gt;\n…\n&lt;/reasoning&gt;\n&lt;answer&gt;\n…\n&lt;/answer&gt;\n</c>,
/// else 0. Under <see cref="RewardRules.Authors"/> the authors' <c>strict_format_reward_func</c>: their pattern with
/// <c>re.match</c> and DOTALL, so the contents may span lines and even hold other tags, and Python's <c>$</c> also accepts
/// one more newline at the very end. Under <see cref="RewardRules.Lorapar"/> the contents may not contain another
/// reasoning/answer tag and the text must end right after the final newline (<c>\z</c>).
/// </summary>
public static partial class StrictFormatReward
{
    /// <summary>The reward for the strict layout (the authors' 0.5).</summary>
    public const double Value = 0.5;

    private const string Content = @"(?:(?!</?(?:reasoning|answer)>).)*";

    // .NET's $ without Multiline is Python's: the end, or before a newline that ends the text.
    [GeneratedRegex(@"\A<reasoning>\n.*?\n</reasoning>\n<answer>\n.*?\n</answer>\n$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorsLayout();

    [GeneratedRegex(@"\A<reasoning>\n" + Content + @"\n</reasoning>\n<answer>\n" + Content + @"\n</answer>\n\z",
        RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Layout();

    /// <summary>Scores one completion.</summary>
    public static double Score(string completion, RewardRules rules) =>
        (rules == RewardRules.Authors ? AuthorsLayout() : Layout()).IsMatch(completion) ? Value : 0.0;
}

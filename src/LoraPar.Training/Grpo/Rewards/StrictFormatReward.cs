using System.Text.RegularExpressions;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// <see cref="Value"/> when the completion is exactly
/// <c>&lt;reasoning&gt;\n…\n&lt;/reasoning&gt;\n&lt;answer&gt;\n…\n&lt;/answer&gt;\n</c> and nothing else, else 0.
/// Two deliberate differences from the authors' <c>re.match</c> pattern: the contents may span lines (their <c>.</c>
/// without DOTALL fails every multi-line reasoning) but may not contain another reasoning/answer tag, and the text
/// must end right after the final newline (<c>\z</c>, where Python's <c>$</c> also accepts one more newline).
/// </summary>
public static partial class StrictFormatReward
{
    /// <summary>The reward for the strict layout (the authors' 0.5).</summary>
    public const double Value = 0.5;

    private const string Content = @"(?:(?!</?(?:reasoning|answer)>).)*";

    [GeneratedRegex(@"\A<reasoning>\n" + Content + @"\n</reasoning>\n<answer>\n" + Content + @"\n</answer>\n\z",
        RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Layout();

    /// <summary>Scores one completion.</summary>
    public static double Score(string completion) => Layout().IsMatch(completion) ? Value : 0.0;
}

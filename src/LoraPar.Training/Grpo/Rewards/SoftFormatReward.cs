using System.Text.RegularExpressions;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// <see cref="Value"/> when the completion starts with <c>&lt;reasoning&gt;…&lt;/reasoning&gt;</c>, then optional white
/// space, then <c>&lt;answer&gt;…&lt;/answer&gt;</c> (anything may follow), else 0. Anchored at the start like the authors'
/// <c>re.match</c>; contents may span lines (DOTALL), which their pattern does not allow.
/// </summary>
public static partial class SoftFormatReward
{
    /// <summary>The reward for the loose layout (the authors' 0.5).</summary>
    public const double Value = 0.5;

    [GeneratedRegex(@"\A<reasoning>.*?</reasoning>\s*<answer>.*?</answer>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Layout();

    /// <summary>Scores one completion.</summary>
    public static double Score(string completion) => Layout().IsMatch(completion) ? Value : 0.0;
}

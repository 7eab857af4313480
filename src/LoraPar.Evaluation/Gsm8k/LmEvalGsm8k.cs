using System.Text.RegularExpressions;

namespace LoraPar.Evaluation.Gsm8k;

/// <summary>
/// lm-evaluation-harness's scoring of its <c>gsm8k</c> task (lm_eval/tasks/gsm8k/gsm8k.yaml), so that lorapar's numbers can
/// be set beside published ones. Two filters read the answer from the response: <c>strict-match</c> takes the first
/// <c>#### (\-?[0-9\.\,]+)</c>, <c>flexible-extract</c> the last match of <c>(-?[$0-9.,]{2,})|(-?[0-9]+)</c> (its first
/// non-empty group), each stripped, <c>[invalid]</c> when nothing matches. <c>exact_match</c> then compares strings after
/// removing <c>,</c>, <c>\$</c>, <c>(?s).*#### </c> and <c>\.$</c> in that order from answer and reference, and lower-casing
/// both. Unlike lorapar's own grading (<see cref="AnswerExtractor"/>, <see cref="NumericAnswer"/>) nothing is compared as a
/// number: <c>72.0</c> is not <c>72</c>, <c>####72</c> and <c>#### $72</c> find nothing strictly, and flexible takes the last
/// digits anywhere (the <c>0</c> of a trailing <c>10 - 0</c>, a <c>,</c> or <c>..</c> alone).
/// </summary>
public static partial class LmEvalGsm8k
{
    /// <summary>The filters' answer when their pattern does not match.</summary>
    public const string Invalid = "[invalid]";

    /// <summary>The <c>strict-match</c> filter's answer in <paramref name="response"/>.</summary>
    public static string StrictMatch(string response) => StrictPattern().Match(response) is { Success: true } m ? m.Groups[1].Value.Trim() : Invalid;

    /// <summary>The <c>flexible-extract</c> filter's answer in <paramref name="response"/> (<c>group_select: -1</c>).</summary>
    public static string FlexibleExtract(string response)
    {
        var matches = FlexiblePattern().Matches(response);
        if (matches.Count == 0) return Invalid;
        var last = matches[^1];
        return (last.Groups[1].Length > 0 ? last.Groups[1].Value : last.Groups[2].Value).Trim();
    }

    /// <summary>lm-eval's <c>exact_match</c> with the task's settings: equal after <see cref="Normalize"/>.</summary>
    public static bool ExactMatch(string answer, string reference) => Normalize(answer) == Normalize(reference);

    /// <summary>The task's <c>regexes_to_ignore</c> removed in order, then lower case (<c>ignore_case</c>).</summary>
    public static string Normalize(string text)
    {
        var cleaned = text.Replace(",", "").Replace("$", "");
        cleaned = UpToFinalAnswer().Replace(cleaned, "");
        return TrailingDot().Replace(cleaned, "").ToLowerInvariant();
    }

    /// <summary>Whether <paramref name="response"/> is right under <c>strict-match</c> (reference: the solution or its final answer).</summary>
    public static bool StrictCorrect(string response, string reference) => ExactMatch(StrictMatch(response), reference);

    /// <summary>Whether <paramref name="response"/> is right under <c>flexible-extract</c>.</summary>
    public static bool FlexibleCorrect(string response, string reference) => ExactMatch(FlexibleExtract(response), reference);

    [GeneratedRegex(@"#### (\-?[0-9\.\,]+)")]
    private static partial Regex StrictPattern();

    [GeneratedRegex(@"(-?[$0-9.,]{2,})|(-?[0-9]+)")]
    private static partial Regex FlexiblePattern();

    [GeneratedRegex(@"(?s).*#### ")]
    private static partial Regex UpToFinalAnswer();

    [GeneratedRegex(@"\.$")]
    private static partial Regex TrailingDot();
}

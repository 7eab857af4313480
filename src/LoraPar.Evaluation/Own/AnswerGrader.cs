using System.Text.RegularExpressions;
using LoraPar.Core;
using LoraPar.Evaluation.Gsm8k;

namespace LoraPar.Evaluation.Own;

/// <summary>
/// Judges an answer text against a gold answer by one <see cref="AnswerMetric"/> — the one implementation that both
/// <c>[eval.own]</c> and the <c>[[rl.own_rewards]]</c> correctness rewards call. Both texts are first cut to their answer
/// span: with an <c>answer_regex</c>, its first match (the first capture group when it has one, else the whole match; no
/// match: no answer, and for the gold the whole trimmed gold); without one, for <see cref="AnswerMetric.Numeric"/> GSM8K's
/// extraction (the marked <c>#### N</c> / <c>&lt;answer&gt;N&lt;/answer&gt;</c> answer, else the last number), otherwise
/// the whole trimmed text. Regexes are compiled culture-invariant with a one-second match timeout (a timeout is no match).
/// </summary>
public sealed class AnswerGrader
{
    /// <summary>What stands for the gold span in a <see cref="AnswerMetric.Regex"/> pattern.</summary>
    public const string GoldPlaceholder = "{gold}";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private readonly Regex? _answer;
    private readonly IReadOnlyList<string> _options;

    /// <summary>Creates the grader; throws <see cref="BadInputException"/> with <see cref="Problem"/>'s message when the settings cannot work.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="answerRegex">The answer span's regex ("" or null: none).</param>
    /// <param name="pattern">The <see cref="AnswerMetric.Regex"/> pattern, holding <see cref="GoldPlaceholder"/>.</param>
    /// <param name="options">The options a generated <see cref="AnswerMetric.Choice"/> answer picks from.</param>
    public AnswerGrader(AnswerMetric metric, string? answerRegex = null, string? pattern = null, IReadOnlyList<string>? options = null)
    {
        if (Problem(metric, answerRegex, pattern) is { } problem) throw new BadInputException(problem.Message);
        Metric = metric;
        _answer = string.IsNullOrEmpty(answerRegex) ? null : Compile(answerRegex);
        Pattern = pattern ?? "";
        _options = options ?? [];
    }

    /// <summary>The metric.</summary>
    public AnswerMetric Metric { get; }

    /// <summary>The <see cref="AnswerMetric.Regex"/> pattern ("" for the other metrics).</summary>
    public string Pattern { get; }

    /// <summary>
    /// Why these settings cannot grade, as (the key at fault, the message), or null: a regex that does not compile, a
    /// <see cref="AnswerMetric.Regex"/> metric without a pattern or whose pattern never mentions <see cref="GoldPlaceholder"/>.
    /// </summary>
    public static (string Key, string Message)? Problem(AnswerMetric metric, string? answerRegex, string? pattern)
    {
        if (!string.IsNullOrEmpty(answerRegex) && CompileError(answerRegex) is { } bad) return ("answer_regex", $"the regex does not compile: {bad}");
        if (metric != AnswerMetric.Regex)
            return string.IsNullOrEmpty(pattern) ? null : ("pattern", $"pattern is the regex metric's; metric = \"{Name(metric)}\" reads the answer with answer_regex");
        if (string.IsNullOrEmpty(pattern) || !pattern.Contains(GoldPlaceholder, StringComparison.Ordinal))
            return ("pattern", $"the regex metric needs a pattern in which {GoldPlaceholder} stands for the gold answer, e.g. \"(?i)answer: *{GoldPlaceholder}\\b\"");
        return CompileError(pattern.Replace(GoldPlaceholder, "gold", StringComparison.Ordinal)) is { } error
            ? ("pattern", $"the regex does not compile: {error}")
            : null;
    }

    /// <summary>The answer span of <paramref name="text"/>, or null when it holds none.</summary>
    public string? Span(string text)
    {
        if (_answer is not null)
        {
            var match = Matches(() => _answer.Match(text));
            if (match is null) return null;
            return match.Groups.Count > 1 && match.Groups[1].Success ? match.Groups[1].Value.Trim() : match.Value.Trim();
        }
        return Metric == AnswerMetric.Numeric
            ? AnswerExtractor.Extract(text, ExtractionMode.Strict) ?? AnswerExtractor.Extract(text, ExtractionMode.Flexible)
            : text.Trim();
    }

    /// <summary>The gold's answer span: <see cref="Span"/>, or the whole trimmed gold when the regex finds no span in it.</summary>
    public string GoldSpan(string gold) => Span(gold) ?? gold.Trim();

    /// <summary>Whether <paramref name="output"/> answers <paramref name="gold"/> correctly under <see cref="Metric"/>.</summary>
    public bool Correct(string output, string gold)
    {
        var goldSpan = GoldSpan(gold);
        return Metric switch
        {
            AnswerMetric.Exact => Span(output) is { } span && AnswerNormalization.Normalize(span) == AnswerNormalization.Normalize(goldSpan),
            AnswerMetric.Numeric => NumericAnswer.Equal(Span(output), goldSpan),
            AnswerMetric.Regex => IsMatch(Pattern.Replace(GoldPlaceholder, Regex.Escape(goldSpan), StringComparison.Ordinal), output),
            AnswerMetric.Choice => Chosen(output) is { } chosen && AnswerNormalization.Normalize(_options[chosen]) == AnswerNormalization.Normalize(goldSpan),
            _ => throw new ArgumentOutOfRangeException(nameof(Metric), Metric, null),
        };
    }

    /// <summary>The option (index into the grader's options) whose normalised text equals <paramref name="output"/>'s normalised span, or null.</summary>
    public int? Chosen(string output)
    {
        if (Span(output) is not { } span) return null;
        var normalized = AnswerNormalization.Normalize(span);
        for (var i = 0; i < _options.Count; i++)
            if (AnswerNormalization.Normalize(_options[i]) == normalized) return i;
        return null;
    }

    /// <summary>The manifest name of <paramref name="metric"/>.</summary>
    public static string Name(AnswerMetric metric) => metric.ToString().ToLowerInvariant();

    /// <summary>Whether <paramref name="pattern"/> (compiled as every grader regex is) is found in <paramref name="text"/>.</summary>
    public static bool IsMatch(string pattern, string text) => Matches(() => Compile(pattern).Match(text)) is not null;

    private static Match? Matches(Func<Match> match)
    {
        try
        {
            var m = match();
            return m.Success ? m : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private static Regex Compile(string pattern) => new(pattern, RegexOptions.CultureInvariant, Timeout);

    /// <summary>Why <paramref name="pattern"/> does not compile, or null when it does.</summary>
    public static string? CompileError(string pattern)
    {
        try
        {
            _ = Compile(pattern);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}

using System.Collections.Concurrent;
using LoraPar.Core.Settings;
using LoraPar.Evaluation.Own;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>What one reward of <c>[[rl.own_rewards]]</c> checks.</summary>
public enum OwnRewardKind
{
    /// <summary>Correctness by <see cref="AnswerMetric.Exact"/>: the answer span equals the gold's after SQuAD's normalisation.</summary>
    Exact,

    /// <summary>Correctness by <see cref="AnswerMetric.Numeric"/>: the answer span is the gold's number.</summary>
    Numeric,

    /// <summary>Correctness by <see cref="AnswerMetric.Regex"/>: the completion matches <c>pattern</c> with <c>{gold}</c> put in.</summary>
    Regex,

    /// <summary>Correctness by <see cref="AnswerMetric.Choice"/>: the answer span names the gold's option among <c>options</c> (or the row's <c>options_column</c>).</summary>
    Choice,

    /// <summary>Format: the completion matches <c>pattern</c> (no gold involved).</summary>
    Format,
}

/// <summary>
/// One reward of GRPO on one's own data (<c>[[rl.own_rewards]]</c>): a completion that passes the check earns
/// <see cref="Weight"/>, one that fails earns 0. Correctness kinds grade with the eval's <see cref="AnswerGrader"/> against the
/// row's reference answer (its span read by the same <see cref="AnswerRegex"/>); <c>format</c> only matches
/// <see cref="Pattern"/> (a .NET regex searched anywhere in the completion; anchor it with <c>^</c>/<c>$</c> for a whole layout).
/// </summary>
public sealed record OwnReward : ISettings
{
    /// <summary>What the reward checks.</summary>
    public OwnRewardKind Kind { get; init; } = OwnRewardKind.Exact;

    /// <summary>What a completion that passes earns (0 fails nothing and is refused).</summary>
    public double Weight { get; init; } = 1.0;

    /// <summary>The answer span's regex (first match; its first group when it has one) for the correctness kinds; "" = none.</summary>
    public string AnswerRegex { get; init; } = "";

    /// <summary>The regex of <c>regex</c> (holding <c>{gold}</c>) and of <c>format</c>.</summary>
    public string Pattern { get; init; } = "";

    /// <summary>The options a <c>choice</c> answer picks from, the same for every row.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>
    /// The column of one's own training data that holds each row's options for <c>choice</c> (a list, or in CSV a JSON array),
    /// instead of <c>options</c>; "" = none.
    /// </summary>
    public string OptionsColumn { get; init; } = "";

    /// <summary>The metric a correctness kind grades by, or null for <see cref="OwnRewardKind.Format"/>.</summary>
    public AnswerMetric? MetricOf() => Kind switch
    {
        OwnRewardKind.Exact => AnswerMetric.Exact,
        OwnRewardKind.Numeric => AnswerMetric.Numeric,
        OwnRewardKind.Regex => AnswerMetric.Regex,
        OwnRewardKind.Choice => AnswerMetric.Choice,
        _ => null,
    };

    /// <summary>The value of this reward for one completion against its prompt source (the row's reference answer, and its options).</summary>
    public Func<string, GrpoExample, double> Scorer()
    {
        if (MetricOf() is not { } metric) return (completion, _) => AnswerGrader.IsMatch(Pattern, completion) ? Weight : 0.0;
        if (OptionsColumn.Length > 0)
        {
            // One grader per row's options list (the rows keep theirs for the whole run), not one per completion.
            var graders = new ConcurrentDictionary<IReadOnlyList<string>, AnswerGrader>(ReferenceEqualityComparer.Instance);
            return (completion, example) =>
                graders.GetOrAdd(RowOptions(example), o => new AnswerGrader(metric, AnswerRegex, Pattern, o)).Correct(completion, example.Gold) ? Weight : 0.0;
        }
        var grader = new AnswerGrader(metric, AnswerRegex, Pattern, Options);
        return (completion, example) => grader.Correct(completion, example.Gold) ? Weight : 0.0;
    }

    private IReadOnlyList<string> RowOptions(GrpoExample example) =>
        example.Options?.GetValueOrDefault(OptionsColumn)
        ?? throw new ArgumentException($"the example has no options from column '{OptionsColumn}', which this choice reward reads", nameof(example));

    /// <summary>The log name: the kind, e.g. <c>numeric</c>.</summary>
    public string Name => Kind.ToString().ToLowerInvariant();

    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>();
        p.Require(double.IsFinite(Weight) && Weight > 0, "weight", $"{Weight}: what a passing completion earns must be a positive number");
        if (MetricOf() is { } metric)
        {
            if (AnswerGrader.Problem(metric, AnswerRegex, Pattern) is { } problem) p.Add(new SettingProblem(problem.Key, problem.Message));
            if (metric == AnswerMetric.Choice) ChoiceProblems(p);
            else NoOptions(p);
            return p;
        }
        p.Require(Pattern.Length > 0, "pattern", "a format reward needs the pattern a well-formed completion matches");
        p.Require(AnswerRegex.Length == 0, "answer_regex", "a format reward has no answer span; put the layout in pattern");
        NoOptions(p);
        if (Pattern.Length > 0 && AnswerGrader.CompileError(Pattern) is { } bad) p.Add(new SettingProblem("pattern", $"the regex does not compile: {bad}"));
        return p;
    }

    private void ChoiceProblems(List<SettingProblem> p)
    {
        if (OptionsColumn.Length > 0)
            p.Require(Options.Count == 0, "options_column", "give the options inline (options) or name the column that holds them (options_column), not both");
        else
            p.Require(Options.Count >= 2, "options", "a choice reward needs at least two options, or options_column naming the column that holds each row's");
    }

    private void NoOptions(List<SettingProblem> p)
    {
        p.Require(Options.Count == 0, "options", "options belong to kind = \"choice\"");
        p.Require(OptionsColumn.Length == 0, "options_column", "options_column belongs to kind = \"choice\"");
    }
}

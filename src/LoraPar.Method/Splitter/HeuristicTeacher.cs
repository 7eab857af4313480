using System.Globalization;

namespace LoraPar.Method.Splitter;

/// <summary>The signals the heuristic teacher reads; -1 where a signal is unavailable (no reference solution).</summary>
public sealed record HeuristicSignals(int ReasoningSteps, int CalculatorAnnotations, int QuestionWords);

/// <summary>
/// A transparent rule-based voter (not an LLM): counts reasoning steps and GSM8K calculator annotations in the reference
/// solution and words in the question, and votes System 2 when enough signals reach their thresholds. Its raw answer,
/// prefixed "[heuristic]", spells out every signal and threshold.
/// </summary>
public sealed class HeuristicTeacher(HeuristicTeacherConfig config) : ITeacher
{
    /// <inheritdoc />
    public TeacherConfig Config => config;

    /// <inheritdoc />
    public string Identity => string.Create(CultureInfo.InvariantCulture,
        $"heuristic|steps>={config.StepThreshold}|annotations>={config.AnnotationThreshold}|words>={config.QuestionWordThreshold}|signals>={config.RequiredSignals}");

    /// <inheritdoc />
    public bool IsCached => false;

    /// <inheritdoc />
    public string PromptText(SplitterItem item) => item.Question + "\u001e" + item.ReferenceSolution;

    /// <summary>The signals of one item.</summary>
    public static HeuristicSignals Measure(SplitterItem item)
    {
        var words = item.Question.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (string.IsNullOrWhiteSpace(item.ReferenceSolution)) return new HeuristicSignals(-1, -1, words);
        var marker = item.ReferenceSolution.IndexOf("####", StringComparison.Ordinal);
        var reasoning = marker >= 0 ? item.ReferenceSolution[..marker] : item.ReferenceSolution;
        var steps = reasoning.Split('\n').Count(line => !string.IsNullOrWhiteSpace(line));
        return new HeuristicSignals(steps, CalculatorStepsTeacher.Count(reasoning), words);
    }

    /// <summary>The vote and its explanation for one item (pure).</summary>
    public TeacherAnswer Judge(SplitterItem item)
    {
        var s = Measure(item);
        var available = s.ReasoningSteps < 0 ? 1 : 3;
        var fired = (s.QuestionWords >= config.QuestionWordThreshold ? 1 : 0)
                    + (s.ReasoningSteps >= config.StepThreshold ? 1 : 0)
                    + (s.CalculatorAnnotations >= config.AnnotationThreshold ? 1 : 0);
        var required = Math.Min(config.RequiredSignals, available);
        var vote = fired >= required ? Vote.System2 : Vote.System1;
        var raw = string.Create(CultureInfo.InvariantCulture,
            $"[heuristic] steps={Show(s.ReasoningSteps, config.StepThreshold)}, " +
            $"calculator annotations={Show(s.CalculatorAnnotations, config.AnnotationThreshold)}, " +
            $"question words={Show(s.QuestionWords, config.QuestionWordThreshold)}; " +
            $"{fired} of {available} signals fired, {required} required -> {(vote == Vote.System2 ? "System 2" : "System 1")}");
        return new TeacherAnswer(raw, vote);
    }

    /// <inheritdoc />
    public Task<TeacherAnswer> AskAsync(SplitterItem item, CancellationToken cancellationToken) =>
        Task.FromResult(Judge(item));

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static string Show(int value, int threshold) =>
        value < 0 ? "n/a (no reference solution)" : $"{value} (>= {threshold}: {(value >= threshold ? "yes" : "no")})";
}

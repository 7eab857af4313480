using LoraPar.Evaluation.Datasets;

namespace LoraPar.Evaluation.Gsm8k;

/// <summary>How GSM8K questions are put to the model and how its answer is expected.</summary>
public enum Gsm8kPromptStyle
{
    /// <summary>The lm-evaluation-harness layout: <c>Question: …\nAnswer:</c>, answered with a worked solution ending in <c>#### N</c>.</summary>
    QuestionAnswer,

    /// <summary>The RL layout: an instruction to answer as <c>&lt;reasoning&gt;…&lt;/reasoning&gt;&lt;answer&gt;N&lt;/answer&gt;</c>, then the question.</summary>
    ReasoningXml,
}

/// <summary>Builds zero- or k-shot GSM8K prompts; shots are solved train problems shown in the same style as the question.</summary>
public static class Gsm8kPrompt
{
    /// <summary>The instruction of the RL format (the System-2 stage's prompt).</summary>
    public const string ReasoningInstruction =
        "Respond in the following format:\n<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>";

    /// <summary>Where greedy decoding stops: the start of a next question, or an end-of-text marker.</summary>
    public static IReadOnlyList<string> StopStrings { get; } = ["Question:", "</s>", "<|im_end|>"];

    /// <summary>One question in the QuestionAnswer layout, ending at "Answer:".</summary>
    public static string Question(string question) => $"Question: {question}\nAnswer:";

    /// <summary>The full prompt for <paramref name="question"/> with the given solved <paramref name="shots"/>.</summary>
    public static string Build(string question, IReadOnlyList<Gsm8kProblem> shots, Gsm8kPromptStyle style) => style switch
    {
        Gsm8kPromptStyle.QuestionAnswer =>
            string.Concat(shots.Select(s => $"{Question(s.Question)} {s.Solution}\n\n")) + Question(question),
        Gsm8kPromptStyle.ReasoningXml =>
            ReasoningInstruction + "\n\n" +
            string.Concat(shots.Select(s => $"{Question(s.Question)}\n{ReasoningXmlAnswer(s)}\n\n")) + Question(question) + "\n",
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, "unknown prompt style"),
    };

    /// <summary>A solved problem in the RL format: the worked solution as reasoning, the number as answer.</summary>
    public static string ReasoningXmlAnswer(Gsm8kProblem problem)
    {
        var marker = problem.Solution.LastIndexOf("####", StringComparison.Ordinal);
        var reasoning = (marker >= 0 ? problem.Solution[..marker] : problem.Solution).Trim();
        return $"<reasoning>\n{reasoning}\n</reasoning>\n<answer>\n{problem.GoldAnswer}\n</answer>";
    }
}

using System.Globalization;

namespace LoraPar.Synthetic;

/// <summary>How a question and its solution are laid out as text.</summary>
public enum PromptStyle
{
    /// <summary>GSM8K style: <c>Question: q\nAnswer: </c> then the answer field (steps, <c>#### N</c>) and a newline.</summary>
    Gsm8k,

    /// <summary>
    /// The RL format: <c>Question: q\nShow your reasoning.\n</c> then
    /// <c>&lt;reasoning&gt;\nsteps\n&lt;/reasoning&gt;\n&lt;answer&gt;\nN\n&lt;/answer&gt;\n</c>.
    /// </summary>
    ReasoningTags,
}

/// <summary>
/// The prompt and completion texts of the synthetic task — one definition shared by the pretraining corpus, the
/// trainers and the evaluator, so the tiny base model sees in pretraining the very layout it is later asked in.
/// All texts stay within <see cref="TaskAlphabet"/>.
/// </summary>
public static class TaskPrompt
{
    /// <summary>The instruction line that asks for the <see cref="PromptStyle.ReasoningTags"/> layout.</summary>
    public const string ReasoningInstruction = "Show your reasoning.";

    /// <summary>The prompt for <paramref name="question"/>; the model continues right after it.</summary>
    public static string Prompt(string question, PromptStyle style) => style switch
    {
        PromptStyle.Gsm8k => $"Question: {question}\nAnswer: ",
        PromptStyle.ReasoningTags => $"Question: {question}\n{ReasoningInstruction}\n",
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, null),
    };

    /// <summary>The gold completion of <paramref name="item"/> in <paramref name="style"/>, ending with a newline.</summary>
    public static string Completion(DualSystemItem item, PromptStyle style) => style switch
    {
        PromptStyle.Gsm8k => item.Answer + "\n",
        PromptStyle.ReasoningTags => ReasoningCompletion(item.SolutionLines, item.FinalAnswer),
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, null),
    };

    /// <summary>
    /// <c>&lt;reasoning&gt;\n{lines}\n&lt;/reasoning&gt;\n&lt;answer&gt;\n{N}\n&lt;/answer&gt;\n</c>; with no solution lines
    /// (System 1) the reasoning holds just the number, so the layout is the same for both systems.
    /// </summary>
    public static string ReasoningCompletion(IReadOnlyList<string> solutionLines, int finalAnswer)
    {
        var number = finalAnswer.ToString(CultureInfo.InvariantCulture);
        var reasoning = solutionLines.Count == 0 ? number : string.Join('\n', solutionLines);
        return $"<reasoning>\n{reasoning}\n</reasoning>\n<answer>\n{number}\n</answer>\n";
    }
}

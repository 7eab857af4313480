using LoraPar.Core.Settings;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Training.Grpo;

/// <summary>
/// How a question is put to the model in stage 2 on file data, and in the evaluation of the points stage 2 produced
/// (<c>[rl.prompt]</c>): a system prompt under a chat template when the model has one, else a plain preamble
/// (<c>system prompt, a blank line, "Question: q\nAnswer:\n"</c>). The synthetic task keeps its own prompts.
/// </summary>
public sealed record PromptFormat : ISettings
{
    /// <summary>
    /// The authors' system prompt (their example's <c>SYSTEM_PROMPT</c>, with its leading and trailing newline): the layout
    /// every reward reads.
    /// </summary>
    public const string AuthorsSystemPrompt = "\nRespond in the following format:\n<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>\n";

    /// <summary>The chat template: auto takes the checkpoint's <c>tokenizer_config.json</c> <c>chat_template</c> (none when it has none).</summary>
    public ChatTemplate ChatTemplate { get; init; } = ChatTemplate.Auto;

    /// <summary>The system prompt (default: the authors' format instruction).</summary>
    public string SystemPrompt { get; init; } = AuthorsSystemPrompt;

    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>();
        p.Require(SystemPrompt.Trim().Length > 0, "system_prompt",
            "is empty: GRPO's rewards read <reasoning>…</reasoning><answer>…</answer>, so the prompt must ask for that layout");
        return p;
    }

    /// <summary>The prompt for <paramref name="question"/> under <paramref name="template"/> (resolved, not auto); BOS comes from the tokenizer.</summary>
    public string Build(string question, ChatTemplate template) => template == ChatTemplate.None
        ? $"{SystemPrompt.Trim()}\n\nQuestion: {question}\nAnswer:\n"
        : template.Format(question, SystemPrompt);
}

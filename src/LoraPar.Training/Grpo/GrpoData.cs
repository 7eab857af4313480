namespace LoraPar.Training.Grpo;

/// <summary>One GRPO prompt source: a question and the gold answer its completions are rewarded against.</summary>
/// <param name="Question">The question text (the prompt builder lays it out).</param>
/// <param name="Gold">The gold answer, e.g. the number after <c>####</c>.</param>
/// <param name="Options">
/// The row's own options by column name, for the <c>choice</c> rewards that read them from a column (<c>options_column</c>);
/// null when no reward does.
/// </param>
public sealed record GrpoExample(string Question, string Gold, IReadOnlyDictionary<string, IReadOnlyList<string>>? Options = null);

/// <summary>
/// What a GRPO stage reads: the prompts of its split (stage 2 of LoRA-PAR: the System-2 split D2 — the trainer reads
/// nothing else) and how a question becomes the prompt text.
/// </summary>
/// <param name="Prompts">The split's questions and gold answers; empty is bad input.</param>
/// <param name="BuildPrompt">Question → prompt text (BOS is added by the tokenizer), e.g. the synthetic task's reasoning-tags prompt.</param>
public sealed record GrpoData(IReadOnlyList<GrpoExample> Prompts, Func<string, string> BuildPrompt);

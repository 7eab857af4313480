namespace LoraPar.Training.Grpo;

/// <summary>Which training rows the pipeline's GRPO stage draws its prompts from (<c>rl.prompt_rows</c>).</summary>
public enum GrpoPromptRows
{
    /// <summary>The recipe's split: D2 (the System-2 rows) under LoRA-PAR and the order ablation, every row under PiSSA+RL.</summary>
    Recipe,

    /// <summary>Every training row (D1 ∪ D2), as the authors' example trains stage 2 on all of GSM8K train.</summary>
    All,
}

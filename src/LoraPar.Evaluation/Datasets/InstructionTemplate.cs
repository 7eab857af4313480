namespace LoraPar.Evaluation.Datasets;

/// <summary>
/// The Alpaca instruction prompt used for the instruction-tuning sets (Dolly-15K, Open-Platypus, CodeAlpaca):
/// an instruction, an optional input (Dolly's context, CodeAlpaca's input), then "### Response:".
/// </summary>
public static class InstructionTemplate
{
    private const string WithInput =
        "Below is an instruction that describes a task, paired with an input that provides further context. " +
        "Write a response that appropriately completes the request.\n\n";

    private const string WithoutInput =
        "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n";

    /// <summary>The prompt for <paramref name="instruction"/> and an optional <paramref name="input"/> (blank means none).</summary>
    public static string Format(string instruction, string input) => string.IsNullOrWhiteSpace(input)
        ? $"{WithoutInput}### Instruction:\n{instruction}\n\n### Response:\n"
        : $"{WithInput}### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n";
}

using LoraPar.Evaluation.Datasets;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>The HumanEval protocol (Chen et al., 2021): how a completion is generated and how it is turned into a test program.</summary>
public static class HumanEvalProgram
{
    /// <summary>The standard stop sequences: a completion ends where a new top-level statement would begin.</summary>
    public static IReadOnlyList<string> StopStrings { get; } = ["\nclass", "\ndef", "\n#", "\nif", "\nprint"];

    /// <summary>
    /// The program run for one sample: prompt + completion, the problem's tests, and the call of <c>check</c> on the entry point.
    /// <paramref name="completion"/> is the text the sample adds after the prompt, decoded together with it
    /// (<see cref="LoraPar.Model.Generation.GenerationOptions.DecodeAfterPrompt"/>), so its first line keeps its indentation.
    /// </summary>
    public static string Compose(HumanEvalProblem problem, string completion) =>
        problem.Prompt + completion + "\n" + problem.Test + "\n" + $"check({problem.EntryPoint})" + "\n";
}

namespace LoraPar.Evaluation.Datasets;

/// <summary>A HumanEval problem: the function signature and docstring, the reference body, the unit tests and the function name.</summary>
public sealed record HumanEvalProblem(string TaskId, string Prompt, string CanonicalSolution, string Test, string EntryPoint)
{
    /// <summary>The fields of the format.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["task_id", "prompt", "canonical_solution", "test", "entry_point"];

    /// <summary>Reads a row; the canonical solution may be absent (e.g. for private problem sets).</summary>
    public static HumanEvalProblem FromRow(MappedRow row) => new(
        row.Text("task_id"), row.Text("prompt"), row.OptionalText("canonical_solution"), row.Text("test"), row.Text("entry_point"));

    /// <summary>The training shape: the prompt and the canonical body.</summary>
    public Example ToExample() => new(TaskId, Prompt, CanonicalSolution, null,
        new Dictionary<string, string> { ["entry_point"] = EntryPoint, ["test"] = Test });
}

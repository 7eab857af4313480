namespace LoraPar.Evaluation.Runs;

/// <summary>How far an evaluation is: examples done (including those resumed from an earlier run) out of the total.</summary>
/// <param name="Done">Examples with a result.</param>
/// <param name="Total">Examples in the evaluation.</param>
/// <param name="Resumed">Of <paramref name="Done"/>, those found in the results file at the start (not timed in this run).</param>
public readonly record struct EvalProgress(int Done, int Total, int Resumed);

/// <summary>A per-example result that can be written to and resumed from a results file.</summary>
public interface IEvalRecord
{
    /// <summary>The example's stable id; a results file holds each id at most once.</summary>
    string Id { get; }
}

using LoraPar.Core;

namespace LoraPar.Pipeline.Stages;

/// <summary>
/// A stage stopped by cancellation (Ctrl-C, SIGTERM): its staging folder is gone and nothing of it is committed; what it
/// kept for the next attempt (checkpoints, partial results) stays. Names the stage and, where its loop knew it, the step.
/// </summary>
/// <param name="stage">The stage kind, e.g. <c>sft</c>.</param>
/// <param name="where">Where inside the stage it stopped, e.g. <c>step 41 of 120</c>; null when unknown.</param>
/// <param name="inner">The cancellation observed.</param>
/// <param name="alsoStopped">Other stages stopped with it (jobs of a parallel local run).</param>
public sealed class StageInterruptedException(string stage, string? where, OperationCanceledException inner, IReadOnlyList<string>? alsoStopped = null)
    : OperationCanceledException(Describe(stage, where, alsoStopped ?? []), inner, inner.CancellationToken)
{
    /// <summary>The stage kind.</summary>
    public string Stage { get; } = stage;

    /// <summary>Wraps <paramref name="cancel"/>, observed while stage <paramref name="stage"/> ran.</summary>
    public static StageInterruptedException Of(string stage, OperationCanceledException cancel) =>
        new(stage, (cancel as StepCanceledException)?.Where, cancel);

    /// <summary>Wraps <paramref name="cancel"/>, observed while the jobs of <paramref name="stages"/> ran (at least one).</summary>
    public static StageInterruptedException OfJobs(IReadOnlyList<string> stages, OperationCanceledException cancel) =>
        new(stages[0], null, cancel, stages.Skip(1).ToList());

    private static string Describe(string stage, string? where, IReadOnlyList<string> also) =>
        (where is null ? $"stage '{stage}' stopped" : $"stage '{stage}' stopped before {where}")
        + (also.Count == 0 ? "" : $" (so did {string.Join(", ", also.Select(s => $"'{s}'"))})");
}

using LoraPar.Training.Monitoring;

namespace LoraPar.Training.Loop;

/// <summary>
/// A monitor that forwards everything to the caller's and keeps every step log of the stage — those restored from the
/// checkpoint resumed from, then each new one — for <see cref="TrainingLoop"/> to write into its checkpoints.
/// </summary>
/// <param name="inner">The caller's monitor.</param>
/// <param name="restored">The step logs of the steps before the resumed checkpoint (empty on a fresh start).</param>
internal sealed class StepJournal(ITrainingMonitor inner, IReadOnlyList<StepLog> restored) : ITrainingMonitor
{
    private readonly List<StepLog> steps = [.. restored];

    /// <summary>Every step log of the stage so far, in order.</summary>
    public IReadOnlyList<StepLog> Steps => steps;

    /// <inheritdoc />
    public void OnStep(StepLog log)
    {
        steps.Add(log);
        inner.OnStep(log);
    }

    /// <inheritdoc />
    public void OnEvaluation(EvaluationLog log) => inner.OnEvaluation(log);

    /// <inheritdoc />
    public void OnCheckpoint(CheckpointLog log) => inner.OnCheckpoint(log);

    /// <inheritdoc />
    public void OnResume(CheckpointLog log) => inner.OnResume(log);
}

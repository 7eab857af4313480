using System.Globalization;
using LoraPar.Pipeline.Progress;
using LoraPar.Training.Monitoring;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>
/// Shows a trainer's steps on a stage's progress bar (loss, learning rate and the trainer's extra figures as its status) and
/// keeps every step's log so the stage can write its training curve.
/// </summary>
public sealed class ProgressMonitor(IProgressTask task, Action<string> log) : ITrainingMonitor
{
    private int _shown;

    /// <summary>Every step log received, in order.</summary>
    public List<StepLog> Steps { get; } = [];

    /// <inheritdoc />
    public void OnStep(StepLog step)
    {
        Steps.Add(step);
        if (step.Step > _shown)
        {
            task.Advance(step.Step - _shown);
            _shown = step.Step;
        }
        var extra = string.Join(" ", step.Extra.Take(4).Select(kv => $"{kv.Key} {kv.Value.ToString("G3", CultureInfo.InvariantCulture)}"));
        task.Status($"loss {step.Loss:F3} lr {step.LearningRate:G3} {extra}");
    }

    /// <inheritdoc />
    public void OnEvaluation(EvaluationLog evaluation) => log($"{evaluation.Stage} step {evaluation.Step}: eval loss {evaluation.Loss:F4}");

    /// <inheritdoc />
    public void OnCheckpoint(CheckpointLog checkpoint) => log($"{checkpoint.Stage}: checkpoint at step {checkpoint.Step}: {checkpoint.Path}");

    /// <inheritdoc />
    public void OnResume(CheckpointLog checkpoint)
    {
        log($"{checkpoint.Stage}: resumed at step {checkpoint.Step} from {checkpoint.Path}");
        Steps.AddRange(checkpoint.Steps ?? []);
        task.Resume(checkpoint.Step - _shown);
        _shown = checkpoint.Step;
    }
}

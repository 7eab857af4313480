using LoraPar.Pipeline.Progress;
using LoraPar.Training.Grpo;
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
        task.Status(StatusText(step));
    }

    /// <summary>
    /// "loss 0.412 lr 2e-4 reward 1.81 accuracy 0.25 kl 3.1e-5 …": loss and learning rate, then the trainer's headline figures
    /// (GRPO's reward, accuracy, KL, completion length) before its others, six at most, numbers as <see cref="StatusNumber"/> writes them (pure).
    /// </summary>
    public static string StatusText(StepLog step)
    {
        var first = new[] { GrpoMetrics.Reward, GrpoMetrics.Accuracy, GrpoMetrics.Kl, GrpoMetrics.CompletionLength };
        var extra = step.Extra.OrderBy(kv => Array.IndexOf(first, kv.Key) is var i && i >= 0 ? i : first.Length)
            .Take(6).Select(kv => $"{kv.Key} {StatusNumber.Format(kv.Value)}");
        return string.Join(" ", new[] { $"loss {StatusNumber.Format(step.Loss)}", $"lr {StatusNumber.Format(step.LearningRate)}" }.Concat(extra));
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

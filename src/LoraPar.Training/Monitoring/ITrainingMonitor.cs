namespace LoraPar.Training.Monitoring;

/// <summary>One logged optimizer step (averages over the steps since the previous log).</summary>
/// <param name="Stage">The stage name, e.g. <c>sft</c>, <c>grpo</c>, <c>pretrain</c>.</param>
/// <param name="Step">Optimizer steps completed (1-based).</param>
/// <param name="TotalSteps">Optimizer steps of the whole stage.</param>
/// <param name="Epoch">The epoch the step belongs to (0-based).</param>
/// <param name="Loss">Mean training loss per answer token over the logged steps.</param>
/// <param name="LearningRate">The learning rate of the last logged step.</param>
/// <param name="GradNorm">The gradient norm over active elements before clipping, last logged step.</param>
/// <param name="TokensPerSecond">Non-padding tokens processed per second over the logged steps.</param>
/// <param name="Tokens">Non-padding tokens processed over the logged steps.</param>
/// <param name="Extra">Further figures of the stage (GRPO: reward mean/std, KL, clip fraction, …); empty for SFT.</param>
public sealed record StepLog(string Stage, int Step, int TotalSteps, int Epoch, double Loss, double LearningRate, double GradNorm,
    double TokensPerSecond, long Tokens, IReadOnlyDictionary<string, double> Extra);

/// <summary>A held-out evaluation.</summary>
/// <param name="Stage">The stage name.</param>
/// <param name="Step">Optimizer steps completed when it ran.</param>
/// <param name="Loss">Mean answer-token loss on the held-out set.</param>
/// <param name="Tokens">Answer tokens evaluated.</param>
public sealed record EvaluationLog(string Stage, int Step, double Loss, long Tokens);

/// <summary>A checkpoint that was written or resumed from.</summary>
/// <param name="Stage">The stage name.</param>
/// <param name="Step">Optimizer steps completed at the checkpoint.</param>
/// <param name="Path">The checkpoint folder.</param>
/// <param name="Steps">On resume, the step logs of the steps before it (so a resumed stage's training log is whole); else empty.</param>
public sealed record CheckpointLog(string Stage, int Step, string Path, IReadOnlyList<StepLog>? Steps = null);

/// <summary>
/// Receives a training stage's progress. The library writes nothing to the console; the pipeline draws progress bars
/// from these calls. All methods are optional (default: ignore).
/// </summary>
public interface ITrainingMonitor
{
    /// <summary>Called every <c>log_every</c> steps and after the last step.</summary>
    void OnStep(StepLog log) { }

    /// <summary>Called after each held-out evaluation.</summary>
    void OnEvaluation(EvaluationLog log) { }

    /// <summary>Called after each checkpoint is written.</summary>
    void OnCheckpoint(CheckpointLog log) { }

    /// <summary>Called when a stage resumes from a checkpoint.</summary>
    void OnResume(CheckpointLog log) { }
}

/// <summary>A monitor that ignores everything.</summary>
public sealed class NullTrainingMonitor : ITrainingMonitor
{
    /// <summary>The shared instance (stateless).</summary>
    public static ITrainingMonitor Instance { get; } = new NullTrainingMonitor();
}

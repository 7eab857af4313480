using LoraPar.Training.Precision;

namespace LoraPar.Training.Loop;

/// <summary>
/// The stage-specific part of a <see cref="TrainingLoop"/>: what one optimizer step computes and what is kept of it.
/// The loop owns everything around it (schedule, seeding, non-finite checks, fp16 skips, cadences, checkpoints).
/// </summary>
/// <typeparam name="TOutcome">What one step reports.</typeparam>
internal interface ITrainingStepBody<TOutcome> where TOutcome : IStepOutcome
{
    /// <summary>Runs optimizer step <paramref name="step"/> (0-based) at <paramref name="learningRate"/> under loss scale <paramref name="scale"/>.</summary>
    TOutcome Run(int step, double learningRate, DynamicLossScale scale);

    /// <summary>
    /// Records a step that passed the loop's checks (losses, history, evaluations); <paramref name="log"/> says whether this
    /// step is on the logging cadence (every <see cref="TrainingLoopSettings.LogEvery"/> steps and the last one).
    /// </summary>
    void Record(int step, double learningRate, TOutcome outcome, bool log);

    /// <summary>The epoch and the metrics a checkpoint written after <paramref name="done"/> steps records.</summary>
    (int Epoch, IReadOnlyDictionary<string, double> Metrics) CheckpointState(int done);
}

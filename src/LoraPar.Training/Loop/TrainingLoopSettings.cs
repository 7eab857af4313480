using LoraPar.Adapters.Masks;
using LoraPar.Training.Precision;

namespace LoraPar.Training.Loop;

/// <summary>What the shared <see cref="TrainingLoop"/> needs of a stage's options.</summary>
/// <param name="StageName">The stage name used in logs, checkpoints and errors (<c>sft</c>, <c>grpo</c>).</param>
/// <param name="TotalSteps">Optimizer steps of the whole stage.</param>
/// <param name="Seed">The stage seed (dropout re-seeding, checkpoint identity).</param>
/// <param name="LearningRate">Peak learning rate of the warm-up + cosine schedule.</param>
/// <param name="WarmupRatio">Share of the steps spent warming up.</param>
/// <param name="LogEvery">Steps between step logs (the last step always logs).</param>
/// <param name="CheckpointEvery">Steps between checkpoints, 0 for none but the last.</param>
/// <param name="KeepCheckpoints">Checkpoints kept on disk.</param>
/// <param name="Precision">The training precision (fp16 starts a dynamic loss scale).</param>
/// <param name="AdamW">The masked AdamW settings.</param>
/// <param name="Section">The manifest section of the stage's settings (<c>sft</c>, <c>rl</c>), named by the guards' advice.</param>
/// <param name="MaxUpdateRatio">The most an update may grow a trained tensor's largest magnitude (see <see cref="Guards.UpdateGuard"/>).</param>
/// <param name="CheckpointMultiple">Checkpoints fall only after a multiple of this many steps (GRPO: μ, so they fall between rollouts).</param>
internal sealed record TrainingLoopSettings(string StageName, int TotalSteps, long Seed, double LearningRate, double WarmupRatio, int LogEvery,
    int CheckpointEvery, int KeepCheckpoints, TrainingPrecision Precision, AdamWOptions AdamW, string Section, double MaxUpdateRatio,
    int CheckpointMultiple = 1)
{
    /// <summary>What the guards tell the user to change.</summary>
    public Guards.GuardAdvice Advice => new(Section, LearningRate, MaxUpdateRatio);
}

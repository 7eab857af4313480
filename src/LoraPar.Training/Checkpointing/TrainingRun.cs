using LoraPar.Core;

namespace LoraPar.Training.Checkpointing;

/// <summary>Where a training stage keeps its checkpoints, whether it continues from the newest one, and how often it saves.</summary>
/// <param name="CheckpointDirectory">The stage's checkpoints folder (the pipeline keeps it in the key's partial-results folder).</param>
/// <param name="BaseModelName">The base model's name or path, written into the PEFT adapter config.</param>
/// <param name="Resume">Continue from the newest complete checkpoint when there is one; false deletes old checkpoints and starts afresh.</param>
/// <param name="Cadence">
/// When a checkpoint is due besides the stage's own <c>checkpoint_every</c> steps (null: only those); one is always written
/// after the last step and when the run is cancelled between steps.
/// </param>
public sealed record TrainingRun(string CheckpointDirectory, string BaseModelName, bool Resume = true, CheckpointCadence? Cadence = null);

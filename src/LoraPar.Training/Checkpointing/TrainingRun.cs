namespace LoraPar.Training.Checkpointing;

/// <summary>Where a training stage keeps its checkpoints, and whether it continues from the newest one.</summary>
/// <param name="CheckpointDirectory">The stage's checkpoints folder (e.g. <c>artifacts/sft/&lt;key&gt;/checkpoints</c>).</param>
/// <param name="BaseModelName">The base model's name or path, written into the PEFT adapter config.</param>
/// <param name="Resume">Continue from the newest complete checkpoint when there is one; false deletes old checkpoints and starts afresh.</param>
public sealed record TrainingRun(string CheckpointDirectory, string BaseModelName, bool Resume = true);

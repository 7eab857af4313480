using LoraPar.Training.Monitoring;

namespace LoraPar.Training.Checkpointing;

/// <summary>How a stage begins: afresh or from a checkpoint, with the guard over its frozen elements.</summary>
/// <param name="State">The restored state, or null for a fresh start.</param>
/// <param name="LastCheckpoint">The checkpoint resumed from, or null.</param>
/// <param name="Guard">Packed copies of the frozen elements as the stage started (owned by the caller).</param>
public sealed record StageStart(TrainerState? State, string? LastCheckpoint, FrozenElementGuard Guard)
{
    /// <summary>
    /// Resumes from the newest checkpoint of <paramref name="run"/> when asked and present — refusing one written for a
    /// different step count or seed, and checking that its frozen elements equal the saved stage-start values — or starts
    /// afresh: old checkpoints are deleted and the current LoRA values are saved as the stage-start values.
    /// </summary>
    public static StageStart Begin(string stage, TrainingRun run, CheckpointContent content, int totalSteps, long seed, ITrainingMonitor monitor)
    {
        var latest = run.Resume ? TrainingCheckpoint.Latest(run.CheckpointDirectory) : null;
        if (latest is null)
        {
            Clear(run.CheckpointDirectory);
            TrainingCheckpoint.SaveStageStart(run.CheckpointDirectory, content.Adapters);
            return new StageStart(null, null, FrozenElementGuard.Capture(content.Adapters.Tensors, content.Masks));
        }
        var state = TrainingCheckpoint.Restore(latest, content);
        if (state.Stage != stage || state.TotalSteps != totalSteps || state.Seed != seed)
            throw new Core.BadInputException($"{latest}: written by stage '{state.Stage}' for {state.TotalSteps} steps with seed {state.Seed}, " +
                $"but this run is '{stage}' with {totalSteps} steps and seed {seed}; delete {run.CheckpointDirectory} to start afresh.");
        var start = TrainingCheckpoint.LoadStageStart(run.CheckpointDirectory)
            ?? throw new Core.BadInputException($"{run.CheckpointDirectory}: has checkpoints but no {TrainingCheckpoint.StageStartFile}; delete the folder to start afresh.");
        FrozenElementGuard guard;
        try
        {
            guard = FrozenElementGuard.Capture(start, content.Masks);
        }
        finally
        {
            foreach (var t in start.Values) t.Dispose();
        }
        guard.Verify(content.Adapters.Tensors, $"{stage}, resuming from {latest}",
            "The checkpoint does not continue this stage's start values; delete the checkpoints folder to start afresh.");
        monitor.OnResume(new CheckpointLog(stage, state.Step, latest, state.Log));
        return new StageStart(state, latest, guard);
    }

    private static void Clear(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var folder in Directory.EnumerateDirectories(directory, "step-*")) Directory.Delete(folder, recursive: true);
        File.Delete(Path.Combine(directory, TrainingCheckpoint.StageStartFile));
    }
}

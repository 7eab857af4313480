using LoraPar.Core;
using LoraPar.Model.Llama;
using LoraPar.Training.Checkpointing;
using TorchSharp.Modules;

namespace LoraPar.Training.Pretraining;

/// <summary>Where pretraining keeps its checkpoints and how often it writes one.</summary>
/// <param name="Directory">The checkpoints folder (the stage's partial-results folder keeps it across attempts).</param>
/// <param name="Cadence">When a checkpoint is due; one is also written at the end and when the run is cancelled.</param>
/// <param name="Keep">Checkpoints kept on disk (the newest is always kept).</param>
public sealed record PretrainCheckpointing(string Directory, CheckpointCadence Cadence, int Keep = 2);

/// <summary>
/// Checkpoints of pretraining, one folder per step, written into a hidden temporary folder and renamed into place:
/// <code>
/// step-000040/model.bin            every parameter and buffer (TorchSharp's exact binary format)
/// step-000040/optimizer.bin        AdamW moments and step counts of both parameter groups
/// step-000040/trainer_state.json   step, total steps, seed, every step's loss and step log (written last)
/// </code>
/// Nothing else is state: the windows of step s and the learning rate are pure functions of (seed, s), and the model has
/// no dropout, so a run resumed from step s computes bit for bit what the uninterrupted run computes from step s.
/// </summary>
public static class PretrainCheckpoint
{
    public const string ModelFile = "model.bin";
    public const string OptimizerFile = "optimizer.bin";

    /// <summary>Writes a checkpoint of <paramref name="model"/>, <paramref name="optimizer"/> and <paramref name="state"/> atomically; returns its folder.</summary>
    public static string Save(string directory, LlamaForCausalLM model, AdamW optimizer, TrainerState state) =>
        AtomicFolder.Write(Path.Combine(directory, TrainingCheckpoint.FolderName(state.Step)), temp =>
        {
            model.save(Path.Combine(temp, ModelFile));
            optimizer.save_state_dict(Path.Combine(temp, OptimizerFile));
            AtomicFile.WriteAllText(Path.Combine(temp, TrainingCheckpoint.StateFile), state.ToJson());
        });

    /// <summary>
    /// Restores the weights and optimizer state of <paramref name="checkpoint"/> into <paramref name="model"/> and
    /// <paramref name="optimizer"/>; refuses one written for another step count or seed. Returns its state.
    /// </summary>
    public static TrainerState Restore(string checkpoint, LlamaForCausalLM model, AdamW optimizer, int totalSteps, long seed)
    {
        var state = TrainerState.Load(Path.Combine(checkpoint, TrainingCheckpoint.StateFile));
        if (state.Stage != Pretrainer.StageName || state.TotalSteps != totalSteps || state.Seed != seed || state.StepLosses.Count != state.Step)
            throw new BadInputException($"{checkpoint}: written by stage '{state.Stage}' for {state.TotalSteps} steps with seed {state.Seed} "
                + $"({state.StepLosses.Count} losses for {state.Step} steps), but this run is '{Pretrainer.StageName}' with {totalSteps} steps "
                + $"and seed {seed}; delete {Path.GetDirectoryName(checkpoint)} to start afresh.");
        model.load(Path.Combine(checkpoint, ModelFile));
        optimizer.load_state_dict(Path.Combine(checkpoint, OptimizerFile));
        return state;
    }
}

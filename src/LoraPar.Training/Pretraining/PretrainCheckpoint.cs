using LoraPar.Core;
using LoraPar.Model.Llama;
using LoraPar.Training.Checkpointing;
using LoraPar.Model.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Training.Pretraining;

/// <summary>Where pretraining keeps its checkpoints and how often it writes one.</summary>
/// <param name="Directory">The checkpoints folder (the stage's partial-results folder keeps it across attempts).</param>
/// <param name="Cadence">When a checkpoint is due; one is also written at the end and when the run is cancelled.</param>
/// <param name="Keep">Checkpoints kept on disk (the newest is always kept).</param>
public sealed record PretrainCheckpointing(string Directory, CheckpointCadence Cadence, int Keep = 2);

/// <summary>
/// Checkpoints of pretraining, one folder per step, written into a hidden temporary folder and renamed into place:
/// <code>
/// step-000040/model.safetensors    every parameter and buffer, exact
/// step-000040/optimizer.safetensors AdamW's step count and moments of every parameter, exact
/// step-000040/trainer_state.json   step, total steps, seed, every step's loss and step log (written last)
/// </code>
/// Nothing else is state: the windows of step s and the learning rate are pure functions of (seed, s), and the model has
/// no dropout, so a run resumed from step s computes bit for bit what the uninterrupted run computes from step s.
/// </summary>
public static class PretrainCheckpoint
{
    public const string ModelFile = "model.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";

    /// <summary>Writes a checkpoint of <paramref name="model"/>, <paramref name="optimizer"/> and <paramref name="state"/> atomically; returns its folder.</summary>
    public static string Save(string directory, LlamaForCausalLM model, AdamW optimizer, TrainerState state) =>
        AtomicFolder.Write(Path.Combine(directory, TrainingCheckpoint.FolderName(state.Step)), temp =>
        {
            SaveWeights(model, Path.Combine(temp, ModelFile));
            SaveOptimizer(optimizer, Path.Combine(temp, OptimizerFile));
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
        LoadWeights(model, Path.Combine(checkpoint, ModelFile));
        LoadOptimizer(optimizer, Path.Combine(checkpoint, OptimizerFile));
        return state;
    }

    private static void SaveWeights(LlamaForCausalLM model, string path)
    {
        using var scope = NewDisposeScope();
        SafetensorsFile.Write(path, model.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, kv.Value.detach().cpu().contiguous())));
    }

    private static void LoadWeights(LlamaForCausalLM model, string path)
    {
        var saved = SafetensorsFile.ReadAll(path);
        try
        {
            using var noGrad = no_grad();
            var current = model.state_dict();
            if (!current.Keys.Order().SequenceEqual(saved.Keys.Order()))
                throw new BadInputException($"{path}: holds other tensors than this model has; delete the checkpoints to start afresh.");
            foreach (var (name, tensor) in current) tensor.copy_(saved[name]);
        }
        finally
        {
            foreach (var t in saved.Values) t.Dispose();
        }
    }

    /// <summary>
    /// AdamW's per-parameter state (step count, first and second moments) as safetensors: TorchSharp's own format writes
    /// tensors' memory as is and refuses the moments of the tiny model's non-contiguous (transposed) weights.
    /// </summary>
    private static void SaveOptimizer(AdamW optimizer, string path)
    {
        using var scope = NewDisposeScope();
        var states = optimizer.state_dict().State.Cast<AdamW.State>().ToList();
        SafetensorsFile.Write(path, states.SelectMany((s, i) => new[]
        {
            KeyValuePair.Create($"{i:D4}.step", tensor(s.step)),
            KeyValuePair.Create($"{i:D4}.exp_avg", s.exp_avg.detach().cpu().contiguous()),
            KeyValuePair.Create($"{i:D4}.exp_avg_sq", s.exp_avg_sq.detach().cpu().contiguous()),
        }));
    }

    private static void LoadOptimizer(AdamW optimizer, string path)
    {
        var saved = SafetensorsFile.ReadAll(path);
        try
        {
            using var noGrad = no_grad();
            var states = optimizer.state_dict().State.Cast<AdamW.State>().ToList();
            if (saved.Count != 3 * states.Count)
                throw new BadInputException($"{path}: holds the state of {saved.Count / 3} parameters, this model has {states.Count}; delete the checkpoints to start afresh.");
            for (var i = 0; i < states.Count; i++)
            {
                states[i].step = saved[$"{i:D4}.step"].item<long>();
                states[i].exp_avg.copy_(saved[$"{i:D4}.exp_avg"]);
                states[i].exp_avg_sq.copy_(saved[$"{i:D4}.exp_avg_sq"]);
            }
        }
        finally
        {
            foreach (var t in saved.Values) t.Dispose();
        }
    }
}

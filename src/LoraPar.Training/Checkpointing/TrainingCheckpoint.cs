using System.Globalization;
using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Adapters.Peft;
using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using static TorchSharp.torch;

namespace LoraPar.Training.Checkpointing;

/// <summary>What a LoRA training checkpoint holds besides its <see cref="TrainerState"/>.</summary>
/// <param name="Adapters">The injected adapters (their current values are saved / restored).</param>
/// <param name="Masks">The stage's mask (saved; on restore it must equal the saved one).</param>
/// <param name="Optimizer">The masked optimizer (packed moments and step count).</param>
/// <param name="BaseModelName">Written into the PEFT <c>adapter_config.json</c> as <c>base_model_name_or_path</c>.</param>
public sealed record CheckpointContent(LoraAdapterSet Adapters, LoraMaskSet Masks, MaskedAdamW Optimizer, string BaseModelName);

/// <summary>
/// Checkpoints of a LoRA training stage, one folder per step under a checkpoints folder:
/// <code>
/// step-000040/adapter/        PEFT adapter (adapter_config.json + adapter_model.safetensors)
/// step-000040/masks.safetensors
/// step-000040/optimizer.safetensors   masked AdamW state
/// step-000040/trainer_state.json      step, epoch, seed, loss scale (written last)
/// stage-start.safetensors             the LoRA values the stage started from (frozen-element check, GRPO reference)
/// </code>
/// A checkpoint is written into a hidden temporary folder and renamed into place, so a reader never sees a partial one.
/// </summary>
public static class TrainingCheckpoint
{
    public const string AdapterFolder = "adapter";
    public const string MasksFile = "masks.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";
    public const string StateFile = "trainer_state.json";
    public const string StageStartFile = "stage-start.safetensors";
    private const string Prefix = "step-";

    /// <summary>The folder name of the checkpoint after <paramref name="step"/> steps.</summary>
    public static string FolderName(int step) => Prefix + step.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Writes a checkpoint of <paramref name="content"/> and <paramref name="state"/> atomically; returns its folder.</summary>
    public static string Save(string directory, CheckpointContent content, TrainerState state) =>
        AtomicFolder.Write(Path.Combine(directory, FolderName(state.Step)), temp =>
        {
            PeftAdapterFormat.Save(Path.Combine(temp, AdapterFolder), content.Adapters, content.BaseModelName);
            content.Masks.Save(Path.Combine(temp, MasksFile));
            content.Optimizer.SaveState(Path.Combine(temp, OptimizerFile));
            AtomicFile.WriteAllText(Path.Combine(temp, StateFile), state.ToJson());
        });

    /// <summary>The newest complete checkpoint folder in <paramref name="directory"/>, or null when there is none.</summary>
    public static string? Latest(string directory) =>
        Complete(directory).OrderByDescending(c => c.Step).Select(c => c.Path).FirstOrDefault();

    /// <summary>
    /// Restores the adapter values and optimizer state of <paramref name="checkpoint"/> into <paramref name="content"/>
    /// and returns its state. The saved mask must equal <see cref="CheckpointContent.Masks"/>.
    /// </summary>
    public static TrainerState Restore(string checkpoint, CheckpointContent content)
    {
        var state = TrainerState.Load(Path.Combine(checkpoint, StateFile));
        using (var saved = LoraMaskSet.Load(Path.Combine(checkpoint, MasksFile), CPU))
        {
            CheckSameMasks(saved, content.Masks, checkpoint);
        }
        var adapter = PeftAdapterFormat.Load(Path.Combine(checkpoint, AdapterFolder));
        try
        {
            content.Adapters.Load(adapter.Tensors, Path.Combine(checkpoint, AdapterFolder));
        }
        finally
        {
            foreach (var t in adapter.Tensors.Values) t.Dispose();
        }
        content.Optimizer.LoadState(Path.Combine(checkpoint, OptimizerFile));
        return state;
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> checkpoints in <paramref name="directory"/>.</summary>
    public static void Prune(string directory, int keep)
    {
        foreach (var old in Complete(directory).OrderByDescending(c => c.Step).Skip(Math.Max(1, keep)))
            Directory.Delete(old.Path, recursive: true);
    }

    /// <summary>Writes the LoRA values a stage starts from, atomically.</summary>
    public static void SaveStageStart(string directory, LoraAdapterSet adapters) =>
        SafetensorsFile.Write(Path.Combine(directory, StageStartFile),
            adapters.Tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (Tensor)kv.Value)));

    /// <summary>Reads the stage-start values (CPU tensors, owned by the caller), or null when the folder has none.</summary>
    public static Dictionary<string, Tensor>? LoadStageStart(string directory)
    {
        var path = Path.Combine(directory, StageStartFile);
        return File.Exists(path) ? SafetensorsFile.ReadAll(path) : null;
    }

    private static IEnumerable<(int Step, string Path)> Complete(string directory)
    {
        if (!Directory.Exists(directory)) yield break;
        foreach (var folder in Directory.EnumerateDirectories(directory, Prefix + "*"))
        {
            var name = Path.GetFileName(folder);
            if (int.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var step)
                && File.Exists(Path.Combine(folder, StateFile)))
                yield return (step, folder);
        }
    }

    private static void CheckSameMasks(LoraMaskSet saved, LoraMaskSet current, string checkpoint)
    {
        using var scope = NewDisposeScope();
        var same = saved.Masks.Count == current.Masks.Count && current.Masks.All(kv =>
            saved.Masks.TryGetValue(kv.Key, out var s) && s.shape.SequenceEqual(kv.Value.shape) && s.eq(kv.Value.cpu()).all().item<bool>());
        if (!same)
            throw new BadInputException($"{checkpoint}: the checkpoint was trained with a different mask than this stage's; " +
                "resume with the same masks artifact, or delete the stage's checkpoints to start afresh.");
    }
}

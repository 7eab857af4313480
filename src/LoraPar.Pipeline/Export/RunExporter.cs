using LoraPar.Adapters;
using LoraPar.Adapters.Export;
using LoraPar.Adapters.Peft;
using LoraPar.Core;
using LoraPar.Method.Partition;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages.Modeling;
using LoraPar.Pipeline.Stages.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Pipeline.Export;

/// <summary>What to export of a run.</summary>
/// <param name="Format">Adapter, merged checkpoint, or both.</param>
/// <param name="Regions">Regions to export as separate adapters too (empty: none).</param>
/// <param name="MaxShardBytes">The merged checkpoint's largest weight file before it is split into shards.</param>
public sealed record ExportOptions(ExportFormat Format, IReadOnlyList<AdapterRegion> Regions, long MaxShardBytes = CheckpointShards.DefaultMaxShardBytes);

/// <summary>The folders one run was exported to (absolute; null where that part was not asked for).</summary>
public sealed record ExportedRun(string Run, string? Adapter, IReadOnlyDictionary<AdapterRegion, string> Regions, string? Merged, string? BaseModel);

/// <summary>
/// Writes a trained run for other tools: the PEFT adapter (PiSSA/OLoRA converted for the original base), each requested region
/// as its own adapter, and the merged Hugging Face checkpoint, each folder written atomically with a model card. The model is
/// rebuilt as the training stages built it (base, LoRA injected with the manifest's init and seed, the trained adapter loaded),
/// so the initial factors the conversion and the regions need are the ones training started from.
/// </summary>
public static class RunExporter
{
    /// <summary>Files of a Hugging Face model folder copied beside the weights: tokenizer, chat template, generation settings.</summary>
    public static IReadOnlyList<string> SideFiles { get; } =
    [
        "tokenizer.model", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
        "vocab.json", "merges.txt", "chat_template.jinja",
    ];

    /// <summary>Exports <paramref name="run"/> into <paramref name="directory"/> (adapter/, regions/&lt;region&gt;/, merged/, base-model/).</summary>
    public static ExportedRun Export(TrainedRun run, ExportOptions options, string directory)
    {
        TorchRuntime.EnsureInitialized();
        directory = Path.GetFullPath(directory);
        using var scope = NewDisposeScope();
        var manifest = run.Manifest;
        var device = BaseModel.DeviceOf(manifest);
        using var model = HfCheckpoint.Load(run.BaseFolder, device, BaseModel.DTypeOf(manifest.Model.Dtype, device));
        model.eval();
        var adapters = LoraInjector.Inject(model, manifest.Lora, manifest.Seed);
        var initial = adapters.Snapshot();
        AdapterState.Load(adapters, run.AdapterFolder);
        string? adapter = null, merged = null, baseCopy = null;
        var regions = new Dictionary<AdapterRegion, string>();
        if (options.Format != ExportFormat.Merged)
        {
            var baseName = BaseName(run, directory, ref baseCopy);
            var trained = adapters.Tensors.ToDictionary(kv => kv.Key, kv => (Tensor)kv.Value);
            adapter = SaveAdapter(Path.Combine(directory, "adapter"), run, adapters, trained, baseName, ExportedKind.Adapter, null);
            foreach (var region in options.Regions)
                regions[region] = SaveRegion(Path.Combine(directory, "regions", region.FolderName()), run, adapters, trained, initial, baseName, region);
        }
        if (options.Format != ExportFormat.Peft)
        {
            MergeAndUnload.Apply(model, adapters);
            merged = SaveMerged(Path.Combine(directory, "merged"), run, model, options.MaxShardBytes);
        }
        return new ExportedRun(run.Variant.Name, adapter, regions, merged, baseCopy);
    }

    /// <summary>
    /// The adapter's <c>base_model_name_or_path</c>: <c>model.hub_id</c>, else the checkpoint folder, else (the built-in tiny model)
    /// a copy of the pretrained base in <c>base-model/</c>, so the export stands on its own.
    /// </summary>
    private static string BaseName(TrainedRun run, string directory, ref string? baseCopy)
    {
        if (run.Manifest.Model.HubId.Length > 0) return run.Manifest.Model.HubId;
        if (run.Manifest.Model.Source == ModelSource.Checkpoint) return run.BaseFolder;
        baseCopy = AtomicFolder.Write(Path.Combine(directory, "base-model"), temp => CopyHfFiles(run.BaseFolder, temp, weights: true));
        return baseCopy;
    }

    private static string SaveRegion(string folder, TrainedRun run, LoraAdapterSet adapters, IReadOnlyDictionary<string, Tensor> trained,
        IReadOnlyDictionary<string, Tensor> initial, string baseName, AdapterRegion region)
    {
        using var scope = NewDisposeScope();
        using var masks = PartitionMasks.Load(Path.Combine(run.MasksFolder, PartitionMasks.FileName));
        var restricted = AdapterRegions.Restrict(region, trained, initial, masks.For(TrainingStage.Stage1), masks.For(TrainingStage.Stage2));
        return SaveAdapter(folder, run, adapters, restricted, baseName, ExportedKind.Region, region);
    }

    /// <summary>Saves <paramref name="tensors"/> as a PEFT folder for the original base (PiSSA/OLoRA converted to rank 2r).</summary>
    private static string SaveAdapter(string folder, TrainedRun run, LoraAdapterSet adapters, IReadOnlyDictionary<string, Tensor> tensors,
        string baseName, ExportedKind kind, AdapterRegion? region)
    {
        using var scope = NewDisposeScope();
        var (final, config) = adapters.InitialTensors.Count > 0
            ? PissaToLora.Convert(tensors, adapters.InitialTensors, adapters.Config)
            : (tensors.ToDictionary(kv => kv.Key, kv => kv.Value), adapters.Config);
        return AtomicFolder.Write(folder, temp =>
        {
            PeftAdapterFormat.Save(temp, final, config, adapters.TargetModules, baseName);
            AtomicFile.WriteAllText(Path.Combine(temp, "README.md"), ModelCard.Render(run, baseName, kind, config, region));
        });
    }

    private static string SaveMerged(string folder, TrainedRun run, Model.Llama.LlamaForCausalLM model, long maxShardBytes) =>
        AtomicFolder.Write(folder, temp =>
        {
            var generation = GenerationConfig.TryLoad(Path.Combine(run.BaseFolder, HfCheckpoint.GenerationConfigFile));
            HfCheckpoint.Save(model, temp, generation, maxShardBytes);
            CopyHfFiles(run.BaseFolder, temp, weights: false);
            var baseName = run.Manifest.Model.HubId.Length > 0 ? run.Manifest.Model.HubId : run.BaseFolder;
            AtomicFile.WriteAllText(Path.Combine(temp, "README.md"), ModelCard.Render(run, baseName, ExportedKind.Merged, run.Manifest.Lora));
        });

    /// <summary>Copies the tokenizer and generation files of a HF folder (with <paramref name="weights"/>: config and weights too).</summary>
    private static void CopyHfFiles(string from, string to, bool weights)
    {
        var names = SideFiles.AsEnumerable();
        if (weights)
            names = names.Concat([HfCheckpoint.ConfigFile, HfCheckpoint.GenerationConfigFile, CheckpointSources.SingleFile, CheckpointSources.IndexFile])
                .Concat(Directory.EnumerateFiles(from, "model-*-of-*.safetensors").Select(f => Path.GetFileName(f)!));
        foreach (var name in names.Distinct())
        {
            var source = Path.Combine(from, name);
            if (File.Exists(source)) File.Copy(source, Path.Combine(to, name), overwrite: true);
        }
    }
}

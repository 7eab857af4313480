using LoraPar.Core;
using LoraPar.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Checkpoints;

/// <summary>
/// Hugging Face model folders: <c>config.json</c>, <c>model.safetensors</c> (or shards with an index) and
/// <c>generation_config.json</c>. Loading is strict — every model tensor must be present and every checkpoint tensor
/// used — and streams tensor by tensor into the model's own memory.
/// </summary>
public static class HfCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string GenerationConfigFile = "generation_config.json";
    private const int NamesShown = 20;

    /// <summary>Builds the model of <paramref name="directory"/>'s config.json and loads its weights.</summary>
    /// <param name="directory">The HF model folder.</param>
    /// <param name="device">Where the parameters go (default CPU).</param>
    /// <param name="dtype">The parameters' dtype (default: the config's torch_dtype).</param>
    public static LlamaForCausalLM Load(string directory, Device? device = null, ScalarType? dtype = null)
    {
        var config = LlamaConfig.Load(Path.Combine(directory, ConfigFile));
        var sources = CheckpointSources.Read(directory);
        var model = new LlamaForCausalLM(config, device, dtype);
        try
        {
            LoadWeights(model, sources);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Loads the weights of <paramref name="directory"/> into an existing model, strictly.</summary>
    public static void LoadWeights(LlamaForCausalLM model, string directory) => LoadWeights(model, CheckpointSources.Read(directory));

    private static void LoadWeights(LlamaForCausalLM model, CheckpointSources sources)
    {
        var targets = model.CheckpointTensors();
        CheckKeys(targets.Keys, sources, model.Config.TieWordEmbeddings);
        foreach (var file in targets.Keys.Select(k => sources.Tensors[k]).GroupBy(s => s.Header.Path))
        {
            using var handle = File.OpenHandle(file.Key);
            foreach (var (header, entry) in file.OrderBy(s => s.Entry.Begin))
                SafetensorsFile.ReadInto(handle, header, entry, targets[entry.Name]);
        }
    }

    private static void CheckKeys(IEnumerable<string> expected, CheckpointSources sources, bool tied)
    {
        var wanted = expected.ToHashSet();
        var missing = wanted.Where(k => !sources.Tensors.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = sources.Tensors.Keys.Where(k => !wanted.Contains(k) && !Ignorable(k, tied)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count == 0 && unexpected.Count == 0) return;
        var where = sources.Tensors.Values.Select(s => Path.GetDirectoryName(s.Header.Path)).FirstOrDefault() ?? ".";
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing keys ({missing.Count}): {Names(missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected keys ({unexpected.Count}): {Names(unexpected)}");
        throw new BadInputException($"{where}: the checkpoint does not match its config.json — {string.Join("; ", parts)}. " +
            "Check that config.json belongs to these weights (architecture, layer count, tie_word_embeddings).");
    }

    /// <summary>Keys a checkpoint may carry that are not weights: the tied head copy and old rotary buffers.</summary>
    private static bool Ignorable(string key, bool tied) =>
        (tied && key == "lm_head.weight") || key.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal);

    private static string Names(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(NamesShown)) + (names.Count > NamesShown ? $", … ({names.Count - NamesShown} more)" : "");

    /// <summary>
    /// Writes <paramref name="model"/> as a HF folder (config.json with torch_dtype = the model's dtype, generation_config.json,
    /// and the weights), each file atomically. Weights up to <paramref name="maxShardBytes"/> go to one model.safetensors;
    /// larger ones to shards with a model.safetensors.index.json (<see cref="CheckpointShards"/>). Weight files of the other
    /// layout are removed so the folder loads the new weights.
    /// </summary>
    public static void Save(LlamaForCausalLM model, string directory, GenerationConfig? generation = null,
        long maxShardBytes = CheckpointShards.DefaultMaxShardBytes)
    {
        Directory.CreateDirectory(directory);
        (model.Config with { TorchDType = model.DType }).Save(Path.Combine(directory, ConfigFile));
        var tensors = model.CheckpointTensors();
        var bytes = tensors.ToDictionary(t => t.Key, t => t.Value.numel() * SafetensorsDType.Size(t.Value.dtype));
        var shards = CheckpointShards.Plan(bytes, maxShardBytes);
        var written = shards.Count <= 1 ? WriteSingle(directory, tensors) : WriteShards(directory, tensors, shards, bytes.Values.Sum());
        RemoveStaleWeights(directory, written);
        (generation ?? GenerationConfig.From(model.Config)).Save(Path.Combine(directory, GenerationConfigFile));
    }

    private static IReadOnlyList<string> WriteSingle(string directory, Dictionary<string, Tensor> tensors)
    {
        AtomicFile.Write(Path.Combine(directory, CheckpointSources.SingleFile), s => SafetensorsFile.Write(s, tensors));
        return [CheckpointSources.SingleFile];
    }

    private static IReadOnlyList<string> WriteShards(string directory, Dictionary<string, Tensor> tensors, IReadOnlyList<IReadOnlyList<string>> shards, long total)
    {
        var files = new List<string>();
        for (var i = 0; i < shards.Count; i++)
        {
            var shard = shards[i].ToDictionary(name => name, name => tensors[name]);
            files.Add(CheckpointShards.FileName(i, shards.Count));
            AtomicFile.Write(Path.Combine(directory, files[^1]), s => SafetensorsFile.Write(s, shard));
        }
        AtomicFile.WriteAllText(Path.Combine(directory, CheckpointSources.IndexFile), CheckpointShards.IndexJson(shards, total));
        return [.. files, CheckpointSources.IndexFile];
    }

    /// <summary>After the new weights are written: deletes weight files of an earlier save that the new one did not write.</summary>
    private static void RemoveStaleWeights(string directory, IReadOnlyList<string> written)
    {
        var candidates = Directory.EnumerateFiles(directory, "model-*-of-*.safetensors").Select(Path.GetFileName)
            .Append(CheckpointSources.SingleFile).Append(CheckpointSources.IndexFile);
        foreach (var stale in candidates.Where(f => !written.Contains(f))) File.Delete(Path.Combine(directory, stale!));
    }
}

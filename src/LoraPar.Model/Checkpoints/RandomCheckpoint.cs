using LoraPar.Core;
using LoraPar.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Checkpoints;

/// <summary>
/// A Hugging Face LLaMA checkpoint of any shape with random weights, written without ever holding the model: config.json,
/// generation_config.json and sharded safetensors (<c>model-0000X-of-0000N.safetensors</c> plus
/// <c>model.safetensors.index.json</c>, <see cref="CheckpointShards"/>), each tensor drawn when its bytes are due and
/// dropped once written — so a 7B checkpoint costs one tensor of memory (at most the 32000 × 4096 embedding) and one
/// float32 block of draws. The keys and
/// [out, in] shapes are transformers' <c>LlamaForCausalLM</c> layout; projections are N(0, initializer_range²), norms 1.
/// </summary>
public static class RandomCheckpoint
{
    /// <summary>Every tensor key and shape of <paramref name="c"/> in transformers' layout (tied models leave out lm_head).</summary>
    public static IReadOnlyList<(string Key, long[] Shape)> Tensors(LlamaConfig c)
    {
        long d = c.HiddenSize, q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim, f = c.IntermediateSize;
        var tensors = new List<(string, long[])> { ("model.embed_tokens.weight", [c.VocabSize, d]), ("model.norm.weight", [d]) };
        for (var i = 0; i < c.NumHiddenLayers; i++)
        {
            var p = $"model.layers.{i}.";
            tensors.AddRange([
                (p + "input_layernorm.weight", [d]), (p + "post_attention_layernorm.weight", [d]),
                (p + "self_attn.q_proj.weight", [q, d]), (p + "self_attn.k_proj.weight", [kv, d]),
                (p + "self_attn.v_proj.weight", [kv, d]), (p + "self_attn.o_proj.weight", [d, q]),
                (p + "mlp.gate_proj.weight", [f, d]), (p + "mlp.up_proj.weight", [f, d]), (p + "mlp.down_proj.weight", [d, f]),
            ]);
        }
        if (!c.TieWordEmbeddings) tensors.Add(("lm_head.weight", [c.VocabSize, d]));
        return tensors;
    }

    /// <summary>
    /// Writes the checkpoint of <paramref name="config"/> in <paramref name="dtype"/> into <paramref name="directory"/>
    /// (created), shards of at most <paramref name="maxShardBytes"/>; <paramref name="cancel"/> is checked between tensors.
    /// </summary>
    public static void Write(string directory, LlamaConfig config, ScalarType dtype, long seed,
        long maxShardBytes = CheckpointShards.DefaultMaxShardBytes, CancellationToken cancel = default)
    {
        if (config.Problems() is { Count: > 0 } problems) throw new BadInputException("random checkpoint: " + string.Join("; ", problems));
        Directory.CreateDirectory(directory);
        (config with { TorchDType = dtype }).Save(Path.Combine(directory, HfCheckpoint.ConfigFile));
        GenerationConfig.From(config).Save(Path.Combine(directory, HfCheckpoint.GenerationConfigFile));
        var tensors = Tensors(config);
        var shapes = tensors.ToDictionary(t => t.Key, t => t.Shape);
        var bytes = tensors.ToDictionary(t => t.Key, t => t.Shape.Aggregate(1L, (a, b) => a * b) * SafetensorsDType.Size(dtype));
        var shards = CheckpointShards.Plan(bytes, maxShardBytes);
        for (var i = 0; i < shards.Count; i++)
        {
            var sources = shards[i].Select((key, k) => new TensorSource(key, dtype, shapes[key],
                () => Draw(shapes[key], dtype, config.InitializerRange, seed * 1_000_003 + i * 10_007 + k, cancel))).ToList();
            SafetensorsFile.Write(Path.Combine(directory, CheckpointShards.FileName(i, shards.Count)), sources);
        }
        AtomicFile.WriteAllText(Path.Combine(directory, CheckpointSources.IndexFile), CheckpointShards.IndexJson(shards, bytes.Values.Sum()) + "\n");
    }

    /// <summary>Rows drawn at a time: float32 draws are vectorised (half-precision ones are not), in blocks of ≤ 16 Mi elements.</summary>
    private const long BlockElements = 1 << 24;

    private static Tensor Draw(long[] shape, ScalarType dtype, double std, long seed, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        if (shape.Length == 1) return torch.ones(shape, dtype);
        using var generator = new Generator((ulong)seed);
        var tensor = torch.empty(shape, dtype);                                        // (out, in)
        var rows = Math.Max(1, BlockElements / shape[1]);
        for (long start = 0; start < shape[0]; start += rows)
        {
            using var block = tensor.narrow(0, start, Math.Min(rows, shape[0] - start));  // (rows, in)
            using var draw = torch.empty(block.shape, ScalarType.Float32).normal_(0, std, generator);
            block.copy_(draw);
        }
        return tensor;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace LoraPar.Model.Checkpoints;

/// <summary>
/// How a HF checkpoint is split into shards when it is saved: tensors in name order are packed greedily into files of at
/// most <c>maxShardBytes</c> (a single tensor larger than that gets a shard of its own), named
/// <c>model-00001-of-00003.safetensors</c>, with a <c>model.safetensors.index.json</c> mapping every key to its file — the
/// layout transformers' <c>save_pretrained</c> writes and <see cref="CheckpointSources"/> reads.
/// </summary>
public static class CheckpointShards
{
    /// <summary>transformers' default <c>max_shard_size</c> ("5GB", decimal).</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    /// <summary>The shard file name of shard <paramref name="index"/> (0-based) of <paramref name="count"/>.</summary>
    public static string FileName(int index, int count) => $"model-{index + 1:D5}-of-{count:D5}.safetensors";

    /// <summary>Groups of tensor names, in name order, each group's byte total at most <paramref name="maxShardBytes"/> unless it is one tensor.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Plan(IReadOnlyDictionary<string, long> bytesByName, long maxShardBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShardBytes, 1);
        var shards = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        long size = 0;
        foreach (var name in bytesByName.Keys.Order(StringComparer.Ordinal))
        {
            var bytes = bytesByName[name];
            if (current.Count > 0 && size + bytes > maxShardBytes)
            {
                shards.Add(current);
                current = [];
                size = 0;
            }
            current.Add(name);
            size += bytes;
        }
        if (current.Count > 0) shards.Add(current);
        return shards;
    }

    /// <summary>The index JSON: <c>{"metadata": {"total_size": N}, "weight_map": {key: file}}</c>.</summary>
    public static string IndexJson(IReadOnlyList<IReadOnlyList<string>> shards, long totalBytes)
    {
        var map = new JsonObject();
        for (var i = 0; i < shards.Count; i++)
            foreach (var name in shards[i]) map[name] = FileName(i, shards.Count);
        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = totalBytes }, ["weight_map"] = map };
        return index.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}

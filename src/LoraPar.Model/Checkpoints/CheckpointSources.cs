using LoraPar.Core;
using System.Text.Json;

namespace LoraPar.Model.Checkpoints;

/// <summary>Where each tensor of a HF checkpoint folder lives: one <c>model.safetensors</c>, or shards listed by <c>model.safetensors.index.json</c>.</summary>
public sealed class CheckpointSources
{
    /// <summary>The single-file weights name.</summary>
    public const string SingleFile = "model.safetensors";

    /// <summary>The shard index name.</summary>
    public const string IndexFile = "model.safetensors.index.json";

    private CheckpointSources(IReadOnlyDictionary<string, (SafetensorsHeader Header, SafetensorsEntry Entry)> tensors) => Tensors = tensors;

    /// <summary>Tensor key → its file header and entry.</summary>
    public IReadOnlyDictionary<string, (SafetensorsHeader Header, SafetensorsEntry Entry)> Tensors { get; }

    /// <summary>Reads the headers (not the data) of the weights in <paramref name="directory"/>; the single file wins over an index.</summary>
    public static CheckpointSources Read(string directory)
    {
        var single = Path.Combine(directory, SingleFile);
        if (File.Exists(single))
        {
            var header = SafetensorsHeader.Read(single);
            return new CheckpointSources(header.Entries.ToDictionary(e => e.Name, e => (header, e)));
        }
        var index = Path.Combine(directory, IndexFile);
        if (!File.Exists(index))
            throw new BadInputException($"{directory}: no {SingleFile} or {IndexFile}; lorapar reads Hugging Face safetensors checkpoints " +
                "(convert .bin / .pth weights with transformers' save_pretrained(safe_serialization=True)).");
        return FromIndex(directory, index);
    }

    private static CheckpointSources FromIndex(string directory, string index)
    {
        var weightMap = ReadWeightMap(index);
        var headers = weightMap.Values.Distinct().ToDictionary(f => f, f => SafetensorsHeader.Read(Path.Combine(directory, f)));
        var tensors = new Dictionary<string, (SafetensorsHeader, SafetensorsEntry)>();
        foreach (var (key, file) in weightMap)
        {
            var entry = headers[file].Entries.FirstOrDefault(e => e.Name == key)
                ?? throw new BadInputException($"{index}: '{key}' is mapped to {file}, which has no such tensor; the shards and the index disagree.");
            tensors[key] = (headers[file], entry);
        }
        return new CheckpointSources(tensors);
    }

    private static Dictionary<string, string> ReadWeightMap(string index)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(index));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new BadInputException($"{index}: has no \"weight_map\" object.");
            var result = new Dictionary<string, string>();
            foreach (var p in map.EnumerateObject())
            {
                var file = p.Value.GetString() ?? "";
                if (file.Length == 0 || Path.GetFileName(file) != file)
                    throw new BadInputException($"{index}: weight_map[\"{p.Name}\"] must name a shard file in the same folder, got \"{file}\".");
                result[p.Name] = file;
            }
            return result;
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{index}:{e.LineNumber + 1}: not valid JSON: {e.Message}", e);
        }
    }
}

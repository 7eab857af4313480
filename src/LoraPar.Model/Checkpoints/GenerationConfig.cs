using LoraPar.Core;
using LoraPar.Model.Llama;
using System.Text;
using System.Text.Json;

namespace LoraPar.Model.Checkpoints;

/// <summary>The special token ids of <c>generation_config.json</c> (other keys are kept and written back).</summary>
public sealed record GenerationConfig
{
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public int? PadTokenId { get; init; }
    public IReadOnlyDictionary<string, JsonElement> Extra { get; init; } = new Dictionary<string, JsonElement>();

    private static readonly HashSet<string> Modelled = ["bos_token_id", "eos_token_id", "pad_token_id"];

    /// <summary>The ids a model config names.</summary>
    public static GenerationConfig From(LlamaConfig config) =>
        new() { BosTokenId = config.BosTokenId, EosTokenIds = config.EosTokenIds, PadTokenId = config.PadTokenId };

    /// <summary>Reads <paramref name="path"/>; null when the file does not exist.</summary>
    public static GenerationConfig? TryLoad(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var r = new JsonFieldReader(doc.RootElement);
            var config = new GenerationConfig
            {
                BosTokenId = r.OptionalInt("bos_token_id"),
                EosTokenIds = r.IntOrList("eos_token_id"),
                PadTokenId = r.OptionalInt("pad_token_id"),
                Extra = r.Unmodelled(Modelled),
            };
            if (r.Problems.Count > 0) throw new BadInputException($"{path}: " + string.Join("; ", r.Problems));
            return config;
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}:{e.LineNumber + 1}: not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Writes generation_config.json atomically.</summary>
    public void Save(string path)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            if (BosTokenId is { } bos) w.WriteNumber("bos_token_id", bos);
            if (EosTokenIds.Count == 1) w.WriteNumber("eos_token_id", EosTokenIds[0]);
            else if (EosTokenIds.Count > 1)
            {
                w.WriteStartArray("eos_token_id");
                foreach (var id in EosTokenIds) w.WriteNumberValue(id);
                w.WriteEndArray();
            }
            if (PadTokenId is { } pad) w.WriteNumber("pad_token_id", pad);
            foreach (var (key, value) in Extra.Where(e => !Modelled.Contains(e.Key)))
            {
                w.WritePropertyName(key);
                value.WriteTo(w);
            }
            w.WriteEndObject();
        }
        AtomicFile.WriteAllText(path, Encoding.UTF8.GetString(buffer.ToArray()) + "\n");
    }
}

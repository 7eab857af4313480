using System.Text.Json;
using System.Text.Json.Serialization;
using LoraPar.Core;

namespace LoraPar.Method.Partition;

/// <summary>Reads and writes <c>partition.json</c> (snake_case keys, enums as snake_case strings, indented).</summary>
public static class PartitionReport
{
    /// <summary>The file name stages use for this artifact.</summary>
    public const string FileName = "partition.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The JSON text of <paramref name="statistics"/>.</summary>
    public static string ToJson(PartitionStatistics statistics) => JsonSerializer.Serialize(statistics, Json) + "\n";

    /// <summary>Writes <c>partition.json</c> atomically.</summary>
    public static void Write(string path, PartitionStatistics statistics) => AtomicFile.WriteAllText(path, ToJson(statistics));

    /// <summary>Reads <c>partition.json</c>; a missing or malformed file is bad input that names it.</summary>
    public static PartitionStatistics Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: partition statistics not found; run the masks stage first.");
        try
        {
            return JsonSerializer.Deserialize<PartitionStatistics>(File.ReadAllText(path), Json)
                   ?? throw new BadInputException($"{path}: empty partition statistics; re-run the masks stage.");
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}:{e.LineNumber + 1}: malformed partition statistics ({e.Message}); re-run the masks stage.", e);
        }
    }
}

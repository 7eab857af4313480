using System.Text.Json;
using LoraPar.Core;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// <c>metrics.json</c>: the numbers a stage reports, as one flat object of metric name → number, e.g.
/// <c>{"gsm8k_accuracy_stage1": 27.14, "gsm8k_accuracy_stage2": 34.37, "active_percent": 40.56}</c>. Accuracies are percentages
/// (0–100) like the paper's tables. The report and <c>lorapar compare</c> read these; baseline columns name them.
/// </summary>
public static class MetricsFile
{
    /// <summary>The file name inside an artifact folder.</summary>
    public const string FileName = "metrics.json";

    /// <summary>Writes metrics atomically, names sorted.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, double> metrics)
    {
        var sorted = metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(sorted, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Reads metrics; an absent file gives none, a malformed one is bad input naming the file.</summary>
    public static IReadOnlyDictionary<string, double> Read(string path)
    {
        if (!File.Exists(path)) return new Dictionary<string, double>();
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(path)) ?? [];
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}: not a metrics file (expected a JSON object of name → number): {e.Message}", e);
        }
    }
}

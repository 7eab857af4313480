using System.Text.Encodings.Web;
using System.Text.Json;
using LoraPar.Core;

namespace LoraPar.Pipeline.Stages;

/// <summary>One warning that changes a stage's results (examples dropped or truncated, empty masks, fallbacks), and the stage that raised it.</summary>
public sealed record StageWarning(string Stage, string Message);

/// <summary>
/// Warnings that change results, kept in the stage's artifact as <c>warnings.json</c> (only when there are any) so that a
/// cached stage reports them again: <c>lorapar run</c> prints them on the console after every run and the report lists them,
/// besides the run log. A stage may forward an upstream stage's warnings that the report would not otherwise reach.
/// </summary>
public static class StageWarnings
{
    /// <summary>The file in a stage's artifact.</summary>
    public const string FileName = "warnings.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    /// <summary>Logs <paramref name="messages"/> as the warnings of stage <paramref name="kind"/> and writes them, after <paramref name="forwarded"/> ones, to warnings.json.</summary>
    public static void Write(StageContext context, string kind, IEnumerable<string> messages, IEnumerable<StageWarning>? forwarded = null)
    {
        var own = messages.Select(m => new StageWarning(kind, m)).ToList();
        foreach (var warning in own) context.Log($"warning: {kind}: {warning.Message}");
        var all = (forwarded ?? []).Concat(own).ToList();
        if (all.Count > 0) AtomicFile.WriteAllText(context.OutputPath(FileName), JsonSerializer.Serialize(all, Json) + "\n");
    }

    /// <summary>The warnings of the artifact in <paramref name="directory"/> (none when it has no warnings.json).</summary>
    public static IReadOnlyList<StageWarning> Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<StageWarning>>(File.ReadAllText(path), Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}: not a warnings file ({e.Message}); re-run the stage with --force", e);
        }
    }
}

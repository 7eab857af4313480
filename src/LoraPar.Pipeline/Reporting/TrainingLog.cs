using System.Text.Json;
using LoraPar.Core;
using LoraPar.Pipeline.Stages.Training;

namespace LoraPar.Pipeline.Reporting;

/// <summary>One line of a training stage's <c>training_log.jsonl</c>: the optimizer step, its loss and the trainer's extra figures.</summary>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Loss">The step's loss (SFT: answer-token cross-entropy; GRPO: the GRPO loss).</param>
/// <param name="Extra">Further figures (GRPO: reward mean, KL, …; empty for SFT).</param>
public sealed record TrainingLogEntry(int Step, double Loss, IReadOnlyDictionary<string, double> Extra);

/// <summary>Reads the per-step log <see cref="TrainingCurve"/> writes.</summary>
public static class TrainingLog
{
    /// <summary>The entries of <paramref name="path"/>; none when the file is absent (a stage that logged nothing).</summary>
    public static IReadOnlyList<TrainingLogEntry> Read(string path) =>
        File.Exists(path) ? Parse(File.ReadAllLines(path), path) : [];

    /// <summary>Parses JSON lines (blank lines skipped); a malformed line is bad input naming <paramref name="source"/>:line (pure).</summary>
    public static IReadOnlyList<TrainingLogEntry> Parse(IEnumerable<string> lines, string source)
    {
        var entries = new List<TrainingLogEntry>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var root = JsonDocument.Parse(line).RootElement;
                var extra = new Dictionary<string, double>(StringComparer.Ordinal);
                if (root.TryGetProperty("extra", out var figures) && figures.ValueKind == JsonValueKind.Object)
                    foreach (var figure in figures.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.Number))
                        extra[figure.Name] = figure.Value.GetDouble();
                entries.Add(new TrainingLogEntry(root.GetProperty("step").GetInt32(), root.GetProperty("loss").GetDouble(), extra));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new BadInputException($"{source}:{number}: not a training log line (expected {{\"step\": n, \"loss\": x, \"extra\": {{...}}}}): {e.Message}", e);
            }
        }
        return entries;
    }
}

using System.Text.Json;
using LoraPar.Core;

namespace LoraPar.Method.Splitter;

/// <summary>Writes the splitter's two artifacts atomically: labels.jsonl (one line per question) and labels.json (statistics).</summary>
public static class LabelsWriter
{
    /// <summary>File name of the per-question labels.</summary>
    public const string LabelsFileName = "labels.jsonl";

    /// <summary>File name of the statistics.</summary>
    public const string StatisticsFileName = "labels.json";

    /// <summary>Writes both files into <paramref name="directory"/>; returns their paths (labels, statistics).</summary>
    public static (string Labels, string Statistics) Write(string directory, IReadOnlyList<ItemLabel> labels, LabelStatistics statistics)
    {
        var labelsPath = Path.Combine(directory, LabelsFileName);
        var statisticsPath = Path.Combine(directory, StatisticsFileName);
        AtomicFile.Write(labelsPath, stream =>
        {
            foreach (var label in labels)
            {
                JsonSerializer.Serialize(stream, label, SplitterJson.Options);
                stream.WriteByte((byte)'\n');
            }
        });
        AtomicFile.Write(statisticsPath, stream =>
        {
            JsonSerializer.Serialize(stream, statistics, SplitterJson.Indented);
            stream.WriteByte((byte)'\n');
        });
        return (labelsPath, statisticsPath);
    }

    /// <summary>Reads labels.jsonl back (for downstream stages); throws <see cref="BadInputException"/> naming the bad line.</summary>
    public static IReadOnlyList<ItemLabel> ReadLabels(string path)
    {
        var labels = new List<ItemLabel>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                labels.Add(JsonSerializer.Deserialize<ItemLabel>(line, SplitterJson.Options)
                           ?? throw new JsonException("the line is null"));
            }
            catch (JsonException e)
            {
                throw new BadInputException($"{path}:{lineNumber}: not a label record ({e.Message}); re-run the labels stage", e);
            }
        }
        return labels;
    }
}

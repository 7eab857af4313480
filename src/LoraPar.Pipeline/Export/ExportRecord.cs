using System.Text.Json;
using System.Text.Json.Nodes;
using LoraPar.Adapters.Export;
using LoraPar.Core;

namespace LoraPar.Pipeline.Export;

/// <summary>
/// Where a run was last exported: <c>artifacts/runs/&lt;manifest&gt;/&lt;run&gt;/export.json</c>, read by <c>lorapar show</c> and the end of
/// <c>lorapar run</c> to list the exported folders (those that still exist).
/// </summary>
public static class ExportRecord
{
    /// <summary>The record's file name in a run's pointer folder.</summary>
    public const string FileName = "export.json";

    /// <summary>Records <paramref name="exported"/> in <paramref name="runFolder"/>.</summary>
    public static void Write(string runFolder, ExportedRun exported)
    {
        var regions = new JsonObject();
        foreach (var (region, folder) in exported.Regions) regions[region.ShortName()] = folder;
        var json = new JsonObject
        {
            ["adapter"] = exported.Adapter,
            ["regions"] = regions,
            ["merged"] = exported.Merged,
            ["base_model"] = exported.BaseModel,
        };
        Directory.CreateDirectory(runFolder);
        AtomicFile.WriteAllText(Path.Combine(runFolder, FileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The exported folders of a run that still exist, labelled (e.g. "merged model"), or none.</summary>
    public static IReadOnlyList<(string Label, string Path)> Read(string runFolder)
    {
        var path = Path.Combine(runFolder, FileName);
        if (!File.Exists(path)) return [];
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (JsonException)
        {
            return [];
        }
        if (json is null) return [];
        var found = new List<(string, string?)>
        {
            ("exported adapter", json["adapter"]?.GetValue<string>()),
            ("merged model", json["merged"]?.GetValue<string>()),
        };
        if (json["regions"] is JsonObject regions)
            found.AddRange(regions.Select(r => ($"region {r.Key} adapter", r.Value?.GetValue<string>())));
        return found.Where(f => f.Item2 is not null && Directory.Exists(f.Item2)).Select(f => (f.Item1, f.Item2!)).ToList();
    }
}

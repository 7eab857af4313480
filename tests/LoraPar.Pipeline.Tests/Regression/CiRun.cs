using System.Text.Json.Nodes;
using LoraPar.Model.Runtime;

namespace LoraPar.Pipeline.Tests.Regression;

/// <summary>Runs a manifest through the real stage registry and rounds partition statistics for snapshots.</summary>
internal static class CiRun
{
    /// <summary>Runs <paramref name="manifest"/>; returns the kinds of the stages that executed (empty for a no-op re-run).</summary>
    public static IReadOnlyList<string> Execute(string manifest, string workingDirectory)
    {
        TorchRuntime.EnsureInitialized();
        var service = new PipelineService(PipelineStages.CreateDefault(), new PipelineConsole(TextWriter.Null, Interactive: false), workingDirectory);
        var summary = service.Run(new RunRequest(manifest), CancellationToken.None)!;
        return summary.Executed.Select(s => s.Kind).ToList();
    }

    /// <summary>The repository root (the folder holding LoraPar.slnx) above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LoraPar.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("LoraPar.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A copy of <paramref name="node"/> with every number rounded to one decimal (percentages) or kept (integers).</summary>
    public static JsonNode? Rounded(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Rounded(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Rounded).ToArray()),
        JsonValue v when v.TryGetValue<double>(out var d) => JsonValue.Create(Math.Round(d, 1)),
        _ => node?.DeepClone(),
    };
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Sweeps;

namespace LoraPar.Pipeline.Reporting;

/// <summary>One run as <c>lorapar show</c> and the end of <c>lorapar run</c> present it: a title, its metrics and its outputs.</summary>
public sealed record RunOverviewEntry(string Name, string Title, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<RunOutput> Outputs);

/// <summary>
/// The results of a manifest's runs on screen: per run its title, the <see cref="Headline"/> table and the paths of its report,
/// adapters and exports; then, for a sweep over the selection, LoRA-PAR against each control; then the sweep report and the
/// <c>latest/</c> folder. Plain text within 80 columns (paths aside), or JSON for scripts.
/// </summary>
public static class RunOverview
{
    /// <summary>The runs of the current plan with their metrics and outputs.</summary>
    public static IReadOnlyList<RunOverviewEntry> Current(PipelinePlan plan, ArtifactStore store, IReadOnlyList<RunResults> results) =>
        results.Select(r => new RunOverviewEntry(r.Variant.Name, Title(plan.Manifest.Name, r.Variant, plan.Variants.Count > 1), r.Metrics,
            RunOutputs.Of(plan, store, r.Variant.Name))).ToList();

    /// <summary>The runs of a saved results file (metrics only: its artifacts may since have been replaced).</summary>
    public static IReadOnlyList<RunOverviewEntry> Saved(SavedResults saved) =>
        saved.Runs.Select(r => new RunOverviewEntry(r.Name, saved.Runs.Count > 1 ? $"{saved.Manifest} · run {r.Name}" : saved.Manifest, r.Metrics, [])).ToList();

    /// <summary>A run's title: the manifest, the run's name in a sweep, the recipe and the partition settings.</summary>
    public static string Title(string manifest, RunVariant variant, bool sweep)
    {
        var m = variant.Manifest;
        var settings = string.Create(CultureInfo.InvariantCulture,
            $"{KebabCase.Name(m.Method)}, {KebabCase.Name(m.Partition.Selection)} selection, θ = {m.Partition.Theta}, α = {m.Partition.Alpha}, β = {m.Partition.Beta}");
        return sweep ? $"{manifest} · run {variant.Name}: {settings}" : $"{manifest}: {settings}";
    }

    /// <summary>The plain-text overview; paths are shown relative to <paramref name="workingDirectory"/> where they lie under it.</summary>
    public static string Render(IReadOnlyList<RunOverviewEntry> runs, IReadOnlyList<ControlComparison.Row> verdicts,
        IReadOnlyList<RunOutput> footer, string workingDirectory)
    {
        var text = new StringBuilder();
        foreach (var run in runs)
        {
            text.Append('\n').Append(run.Title).Append('\n');
            var lines = Headline.Lines(run.Metrics);
            if (lines.Count == 0) text.Append("  no results yet\n");
            foreach (var line in lines) text.Append("  ").Append(line).Append('\n');
            foreach (var output in run.Outputs) text.Append($"  {output.Label,-22} {Shown(output.Path, workingDirectory)}\n");
        }
        if (verdicts.Count > 0)
        {
            text.Append("\nLoRA-PAR against the controls (same questions, McNemar's exact p):\n");
            foreach (var v in verdicts)
            {
                var control = KebabCase.Name(v.Control);
                text.Append($"  {Headline.Label(v.Set)} at {v.Point.Replace("stage", "stage ")}, {control}: {Headline.Percent(v.Ours)} vs {Headline.Percent(v.Theirs)} ")
                    .Append($"(only LoRA-PAR {v.Change.Gained}, only {control} {v.Change.Lost})\n")
                    .Append($"    p {Headline.PValue(v.Change.PValue)}: {v.Verdict}\n");
            }
        }
        if (footer.Count > 0) text.Append('\n');
        foreach (var output in footer) text.Append($"{output.Label,-24} {Shown(output.Path, workingDirectory)}\n");
        return text.ToString();
    }

    /// <summary>The overview as JSON: each run's name, title, metrics and outputs (absolute paths), the verdicts and the footer.</summary>
    public static string Json(string manifest, string? runId, IReadOnlyList<RunOverviewEntry> runs, IReadOnlyList<ControlComparison.Row> verdicts,
        IReadOnlyList<RunOutput> footer)
    {
        var json = new JsonObject
        {
            ["manifest"] = manifest,
            ["run_id"] = runId,
            ["runs"] = new JsonArray(runs.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["title"] = r.Title,
                ["metrics"] = new JsonObject(r.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
                    .Select(m => KeyValuePair.Create(m.Key, (JsonNode?)(double.IsFinite(m.Value) ? JsonValue.Create(m.Value) : null)))),
                ["outputs"] = Outputs(r.Outputs),
            }).ToArray()),
            ["controls"] = new JsonArray(verdicts.Select(v => (JsonNode)new JsonObject
            {
                ["set"] = v.Set, ["point"] = v.Point, ["control"] = KebabCase.Name(v.Control), ["lora_par_percent"] = v.Ours,
                ["control_percent"] = v.Theirs, ["only_lora_par"] = v.Change.Gained, ["only_control"] = v.Change.Lost,
                ["p"] = v.Change.PValue, ["verdict"] = v.Verdict,
            }).ToArray()),
            ["files"] = Outputs(footer),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonObject Outputs(IReadOnlyList<RunOutput> outputs) =>
        new(outputs.Select(o => KeyValuePair.Create(o.Label, (JsonNode?)JsonValue.Create(o.Path))));

    private static string Shown(string path, string workingDirectory)
    {
        var relative = Path.GetRelativePath(workingDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}

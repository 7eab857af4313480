using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Reporting;

/// <summary>A <c>lorapar show</c> request.</summary>
/// <param name="Manifest">The manifest.</param>
/// <param name="Run">A saved run id (or unique prefix, <c>previous</c>, or the path of its results file or log); null: the latest results.</param>
/// <param name="Json">Print JSON instead of the table.</param>
public sealed record ShowRequest(string Manifest, string? Run = null, bool Json = false);

/// <summary>
/// The results of a manifest on screen, as the end of <c>lorapar run</c> prints them and <c>lorapar show</c> prints them again:
/// <see cref="RunOverview"/> over the current artifacts (or a saved run's metrics), with the <c>latest/</c> links.
/// </summary>
public sealed class ResultsView(PipelineService pipeline, TextWriter output, string workingDirectory)
{
    /// <summary>The overview of the current plan's runs: entries, control verdicts and the manifest-wide files.</summary>
    public static (IReadOnlyList<RunOverviewEntry> Runs, IReadOnlyList<ControlComparison.Row> Verdicts, IReadOnlyList<RunOutput> Files) Current(
        PipelinePlan plan, ArtifactStore store)
    {
        var results = RunResultsReader.Read(plan, store);
        var folder = Path.Combine(store.RunsDirectory, plan.Manifest.Name);
        var files = new List<RunOutput>();
        var sweepReport = Path.Combine(folder, SweepReport.FileName);
        if (plan.Variants.Count > 1 && File.Exists(sweepReport)) files.Add(new RunOutput("sweep report", SweepReport.FileName, sweepReport));
        var history = new RunHistory(store.RunsDirectory, plan.Manifest.Name);
        if (history.Ids() is [.., var last]) files.Add(new RunOutput("saved results", "results.json", Path.Combine(history.Folder, last + ".json")));
        return (RunOverview.Current(plan, store, results), ControlComparison.Rows(plan, store, results), files);
    }

    /// <summary>After a run: rewrites <c>latest/</c> and returns the overview text (headline per run, then the paths).</summary>
    public static string AfterRun(PipelinePlan plan, ArtifactStore store, string workingDirectory)
    {
        var (runs, verdicts, files) = Current(plan, store);
        var latest = LatestLinks.Write(Path.Combine(store.RunsDirectory, plan.Manifest.Name), files, runs.Select(r => (r.Name, r.Outputs)).ToList());
        return RunOverview.Render(runs, verdicts, [.. files, new RunOutput("links to all of these", LatestLinks.FolderName, latest)], workingDirectory);
    }

    /// <summary><c>lorapar show</c>: prints the latest results (or a saved run's) as a table or JSON; returns the text.</summary>
    public string Show(ShowRequest request)
    {
        var manifest = pipeline.Load(request.Manifest).Manifest;
        var store = new ArtifactStore(manifest.Artifacts);
        var history = new RunHistory(store.RunsDirectory, manifest.Name);
        var saved = request.Run is { } id ? history.Find(id, workingDirectory) : null;
        string text;
        if (saved is not null && history.Ids() is [.., var last] && saved.RunId != last)
        {
            var runs = RunOverview.Saved(saved);
            var file = new RunOutput("saved results", "results.json", Path.Combine(history.Folder, saved.RunId + ".json"));
            text = request.Json ? RunOverview.Json(manifest.Name, saved.RunId, runs, [], [file])
                : $"run {saved.RunId} (lorapar {saved.ToolVersion}, {saved.Time.UtcDateTime:yyyy-MM-dd HH:mm} UTC)\n"
                  + RunOverview.Render(runs, [], [file], workingDirectory);
        }
        else
        {
            var plan = pipeline.Plan(manifest, store);
            var (runs, verdicts, files) = Current(plan, store);
            var latest = Path.Combine(store.RunsDirectory, manifest.Name, LatestLinks.FolderName);
            IReadOnlyList<RunOutput> footer = Directory.Exists(latest) ? [.. files, new RunOutput("links to all of these", LatestLinks.FolderName, latest)] : files;
            text = request.Json ? RunOverview.Json(manifest.Name, history.Ids().LastOrDefault(), runs, verdicts, footer)
                : RunOverview.Render(runs, verdicts, footer, workingDirectory).TrimStart('\n');
            store.Hashes.Save();
        }
        output.Write(text);
        return text;
    }
}

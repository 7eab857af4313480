using Humanizer;
using LoraPar.Core;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline;

/// <summary>A <c>lorapar run</c> request.</summary>
/// <param name="Manifest">Manifest file.</param>
/// <param name="DryRun">Validate, print the resolved manifest and the plan, run nothing (missing files are warnings).</param>
/// <param name="Force">Re-run this stage and its dependents.</param>
/// <param name="Stage">Run only this stage (upstream artifacts must exist); it always runs in this process.</param>
/// <param name="Key">With <paramref name="Stage"/>: only its node whose key starts with this (what one Slurm job runs).</param>
/// <param name="Executor">Where stale stages run (null: the manifest's <c>[executor] kind</c>).</param>
/// <param name="Wait">On Slurm: follow the jobs until they end and fail when one failed (otherwise return after submitting).</param>
/// <param name="DeviceMemory">The device's memory for the resource plan's verdict (e.g. <c>80GiB</c>; null: detected on CUDA, no check on the CPU).</param>
/// <param name="TryAnyway">Run stages the resource plan predicts do not fit.</param>
/// <param name="Job">
/// This run is one job of a parallel local run (<c>[executor] jobs</c>): it saves no results and writes no sweep report, which
/// the run that started it does once all its jobs are done.
/// </param>
public sealed record RunRequest(string Manifest, bool DryRun = false, string? Force = null, string? Stage = null, string? Key = null,
    Executors.ExecutorKind? Executor = null, bool Wait = false, string? DeviceMemory = null, bool TryAnyway = false, bool Job = false);

/// <summary>A <c>lorapar compare</c> request.</summary>
/// <param name="Manifest">Our manifest (its runs' metrics are compared).</param>
/// <param name="Baseline">Baseline file (default: the manifest's report.baseline).</param>
/// <param name="Against">
/// What to compare with instead of a baseline file, run by run: another manifest (<c>.toml</c>), or an earlier run of this
/// manifest — its run id or a unique prefix (time stamp), <c>previous</c>, or the path of its results file or log.
/// </param>
/// <param name="Check">Hold the run to the baseline's <c>[tolerances]</c>: a cell outside its tolerance fails the job (exit code 1).</param>
/// <param name="Wide">Print each baseline table as it is laid out (paper / ours / Δ per column) instead of one row per cell.</param>
public sealed record CompareRequest(string Manifest, string? Baseline = null, string? Against = null, bool Check = false, bool Wide = false);

/// <summary>
/// The pipeline's front door: each CLI verb is one call here. Loads and validates the manifest before anything else, plans
/// the DAG with the registered stages, and runs, explains or cleans it.
/// </summary>
public sealed class PipelineService(StageRegistry registry, PipelineConsole console, string workingDirectory)
{
    /// <summary>Loads a manifest (all errors at once, exit code 2).</summary>
    public LoadedManifest Load(string path, PathCheckMode paths = PathCheckMode.Errors) =>
        ManifestLoader.Load(path, new ManifestLoadOptions(workingDirectory, paths));

    /// <summary>Plans a loaded manifest.</summary>
    public PipelinePlan Plan(PipelineManifest manifest, ArtifactStore store) => PipelinePlan.Build(manifest, registry, store.Hashes);

    /// <summary>
    /// <c>lorapar run</c>: executes the stale stages (or, for a dry run, prints what it would do; on Slurm, submits them). Returns
    /// the summary (null for a dry run or a Slurm submission).
    /// </summary>
    public RunSummary? Run(RunRequest request, CancellationToken cancel)
    {
        if (request.DryRun)
        {
            DryRun(request.Manifest);
            return null;
        }
        var loaded = Load(request.Manifest);
        var manifest = loaded.Manifest;
        var store = new ArtifactStore(manifest.Artifacts);
        var plan = Plan(manifest, store);
        Planning.RunPlanCheck.Check(plan, store, new Planning.PlanOptions(request.DeviceMemory), request.Stage, request.TryAnyway, console.Out);
        if (request.Stage is null && (request.Executor ?? manifest.Executor.Kind) == Executors.ExecutorKind.Slurm)
        {
            SubmitToSlurm(request, loaded, plan, store, cancel);
            return null;
        }
        using var log = new RunLog(store.RunsDirectory, manifest.Name);
        log.Write($"lorapar {StageExecutor.ToolVersion} run {loaded.File} force={request.Force ?? "-"} stage={request.Stage ?? "-"}");
        RequestKernels(manifest, log);
        var jobs = request.Stage is null ? ParallelJobs(loaded, log) : null;
        try
        {
            var summary = console.WithProgress(manifest.Progress, (progress, announce) =>
            {
                var verbose = manifest.LogLevel == Verbosity.Verbose;
                var env = new ExecutionEnvironment(progress, line => { log.Write(line); if (verbose) announce(line); }, cancel,
                    manifest.LogLevel == Verbosity.Quiet ? null : announce);
                return PipelineRunner.Run(plan, store, new RunSelection(request.Force, request.Stage, request.Key), env, jobs);
            });
            if (!request.Job) Reporting.SweepReport.Write(plan, store);
            if (!request.Job) SaveResults(request.Manifest, plan, store, Path.GetFileNameWithoutExtension(log.Path));
            var line = $"{manifest.Name}: ran {"stage".ToQuantity(summary.Executed.Count)}, reused {summary.Reused.Count} "
                + $"in {TimeSpan.FromSeconds(summary.Seconds).Humanize(precision: 2)}; log {log.Path}";
            log.Write(line);
            console.Out.WriteLine(line);
            if (request.Job) return summary;
            console.Out.Write(Reporting.ResultsView.AfterRun(plan, store, workingDirectory));
            console.Out.Write(Reporting.RunWarnings.Console(Reporting.RunWarnings.Of(plan, store)));
            return summary;
        }
        catch (OperationCanceledException e)
        {
            var where = e is StageInterruptedException stopped ? stopped.Message : "between stages";
            log.Write($"interrupted: {where}; nothing of it was committed");
            throw new InterruptedException($"interrupted: {where}; nothing of it was committed, completed stages are cached and the cache "
                + $"is consistent — run again to continue (log {log.Path})", e);
        }
        catch (Exception e)
        {
            log.Write($"failed: {e}");
            throw;
        }
    }

    private void SubmitToSlurm(RunRequest request, LoadedManifest loaded, PipelinePlan plan, ArtifactStore store, CancellationToken cancel)
    {
        if (request.Force is not null)
            throw new BadInputException("--force runs here; with --executor slurm, remove the stage's artifact (or run --force locally) instead");
        try
        {
            Executors.SlurmExecutor.Run(plan, store, loaded.File, workingDirectory, request.Wait, console.Out, cancel);
        }
        finally
        {
            store.Hashes.Save();
        }
    }

    /// <summary><c>lorapar cancel</c>: cancels the queued and running Slurm jobs of the manifest's stages. Returns their ids.</summary>
    public IReadOnlyList<string> Cancel(string manifestPath)
    {
        var loaded = Load(manifestPath);
        var store = new ArtifactStore(loaded.Manifest.Artifacts);
        return Executors.SlurmExecutor.Cancel(Plan(loaded.Manifest, store), store, console.Out);
    }

    /// <summary>
    /// The jobs that run the stale stages when <c>[executor] jobs</c> is above 1, or null (one after the other, here): on a CUDA
    /// device stages run one at a time, since the resource plan sizes each stage against the whole device.
    /// </summary>
    private StageJobs? ParallelJobs(LoadedManifest loaded, RunLog log)
    {
        var executor = loaded.Manifest.Executor;
        if (executor.Jobs < 2) return null;
        if (DeviceResolver.Resolve(loaded.Manifest.Device).type != TorchSharp.DeviceType.CPU)
        {
            var line = $"executor.jobs = {executor.Jobs}: stages run one at a time on a CUDA device (each stage is planned against the whole device)";
            log.Write(line);
            console.Out.WriteLine(line);
            return null;
        }
        log.Write($"executor.jobs = {executor.Jobs}: stale stages run as up to {executor.Jobs} lorapar processes at once");
        return new StageJobs(executor.Jobs, Executors.SlurmSubmitter.NodeCommand(executor), loaded.File, workingDirectory);
    }

    /// <summary>Exports the manifest's <c>mkl_path</c> and <c>threads</c> before any stage loads libtorch (an explicit environment choice wins).</summary>
    private void RequestKernels(PipelineManifest manifest, RunLog log)
    {
        if (manifest.Threads is { } threads)
            log.Write($"threads = {threads}: {(ThreadCount.Request(threads) ? "applied" : "overridden")} ({ThreadCount.Variable}={Environment.GetEnvironmentVariable(ThreadCount.Variable)})");
        log.Write($"OpenMP waits: {SpinWaits.Describe(Environment.GetEnvironmentVariable)}");
        if (manifest.MklPath is not { } mkl) return;
        var outcome = MklPathRequest.Apply(mkl);
        log.Write($"mkl_path = {MklPathChoices.Name(mkl)}: {outcome} ({MklPathChoices.Variable}={MklPathChoices.Name(MklPathChoices.FromEnvironment())})");
        if (outcome == MklPathOutcome.TooLate)
            console.Out.WriteLine($"warning: mkl_path = \"{MklPathChoices.Name(mkl)}\" cannot take effect: the tensor runtime already loaded in this process");
    }

    /// <summary><c>lorapar run --dry-run</c>: validation (missing files as warnings), the resolved manifest, and the plan.</summary>
    public PipelinePlan DryRun(string manifestPath)
    {
        var loaded = Load(manifestPath, PathCheckMode.Warnings);
        foreach (var warning in loaded.Warnings) console.Out.WriteLine($"warning: {warning}");
        console.Out.WriteLine($"# resolved manifest {loaded.File}");
        console.Out.WriteLine(ManifestJson.ToToml(loaded.Manifest));
        foreach (var line in Stages.Labels.TeacherEndpoints.Describe(loaded.Manifest, Environment.GetEnvironmentVariable)) console.Out.WriteLine(line);
        if (loaded.Manifest.Rl.OwnRewards is { } rewards && OwnDataRules.RewardRows(loaded.Manifest) is { Count: > 0 } rows)
            foreach (var line in Stages.Training.RewardPreview.Describe(rewards, rows)) console.Out.WriteLine(line);
        var store = new ArtifactStore(loaded.Manifest.Artifacts);
        var plan = Plan(loaded.Manifest, store);
        PlanPrinter.Print(plan, store, console.Out);
        store.Hashes.Save();
        return plan;
    }

    /// <summary><c>lorapar plan</c>: each run's predicted memory and time per GPU stage and whether it fits the device (as text or JSON).</summary>
    public IReadOnlyList<Planning.ResourcePlan> PlanResources(string manifestPath, Planning.PlanOptions options, bool json)
    {
        var loaded = Load(manifestPath, PathCheckMode.Warnings);
        var plans = Planning.ResourcePlanner.Plan(Plan(loaded.Manifest, new ArtifactStore(loaded.Manifest.Artifacts)), options);
        console.Out.Write(json
            ? new System.Text.Json.Nodes.JsonArray(plans.Select(p => (System.Text.Json.Nodes.JsonNode)Planning.ResourcePlanText.Json(p)).ToArray())
                .ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n"
            : string.Join("\n", plans.Select(Planning.ResourcePlanText.Render)));
        return plans;
    }

    /// <summary><c>lorapar status</c>: each stage of each run, fresh or stale and why. Returns the statuses.</summary>
    public IReadOnlyList<StageStatus> Status(string manifestPath)
    {
        var loaded = Load(manifestPath);
        var store = new ArtifactStore(loaded.Manifest.Artifacts);
        var plan = Plan(loaded.Manifest, store);
        var statuses = StageStatusExplainer.Explain(plan, store);
        PlanPrinter.PrintStatus(plan, statuses, console.Out);
        Executors.SlurmExecutor.PrintStatus(plan, store, console.Out);
        return statuses;
    }

    /// <summary><c>lorapar clean</c>: removes artifacts none of <paramref name="manifestPaths"/> references (per artifacts folder).</summary>
    public IReadOnlyList<CleanSummary> Clean(IReadOnlyList<string> manifestPaths)
    {
        if (manifestPaths.Count == 0) throw new BadInputException("clean needs at least one manifest: artifacts no given manifest uses are removed");
        var loaded = manifestPaths.Select(p => Load(p).Manifest).ToList();
        var summaries = new List<CleanSummary>();
        foreach (var group in loaded.GroupBy(m => m.Artifacts))
        {
            var store = new ArtifactStore(group.Key);
            var plans = group.Select(m => Plan(m, store)).ToList();
            var summary = ArtifactCleaner.Clean(store, plans);
            foreach (var removed in summary.Removed) console.Out.WriteLine($"removed {removed}");
            foreach (var skipped in summary.SkippedInUse) console.Out.WriteLine($"kept {skipped} (in use by a running process)");
            console.Out.WriteLine($"{group.Key}: removed {"folder".ToQuantity(summary.Removed.Count)}, freed {summary.BytesFreed.Bytes().Humanize("0.#")}");
            summaries.Add(summary);
        }
        return summaries;
    }

    /// <summary>
    /// <c>lorapar compare</c>: our results beside a baseline file's tables (with <see cref="CompareRequest.Check"/>, held to its
    /// tolerances), or beside another manifest's runs or an earlier saved run of this one. Returns the Markdown printed.
    /// </summary>
    public string Compare(CompareRequest request)
    {
        if (request.Check && request.Against is not null)
            throw new BadInputException("--check holds a run to a baseline file's tolerances; it cannot be combined with --against");
        var ours = Results(request.Manifest, out var manifest);
        if (request.Against is { } against)
        {
            var comparison = CompareAgainst(ours, manifest, against);
            console.Out.Write(comparison);
            return comparison;
        }
        var baselinePath = request.Baseline is { } b ? Path.GetFullPath(b, workingDirectory)
            : manifest.Report.Baseline?.Resolved
            ?? throw new BadInputException($"{request.Manifest}: no baseline to compare with; set report.baseline or pass --baseline");
        if (!File.Exists(baselinePath)) throw new BadInputException($"baseline file not found: {baselinePath}");
        var baseline = Reporting.BaselineFile.Load(baselinePath);
        var kernels = Reporting.BaselineCpu.KernelIsa(CpuIdentity.Detect(), MklPathChoices.Effective(manifest.MklPath));
        if (Reporting.BaselineCpu.Notice(baseline, kernels) is { } notice) console.Out.WriteLine(notice + "\n");
        var cells = Reporting.Comparison.Build(baseline, manifest.Report.Tables, ours);
        var text = request.Wide ? Reporting.Comparison.Render(baseline, manifest.Report.Tables, cells)
            : Reporting.Comparison.RenderNarrow(baseline, manifest.Report.Tables, cells);
        console.Out.Write(text);
        if (!request.Check) return text;
        var check = Reporting.ToleranceCheck.Run(baseline, cells);
        var verdict = Reporting.ToleranceCheck.Render(check);
        console.Out.Write("\n" + verdict);
        if (!check.Passed)
            throw new JobFailedException($"{check.Breaches.Count} of {check.Checked} pinned cells of {Path.GetFileName(baselinePath)} are outside their tolerance");
        return text + "\n" + verdict;
    }

    private string CompareAgainst(IReadOnlyList<Reporting.RunResults> ours, PipelineManifest manifest, string against)
    {
        var now = ours.Select(Reporting.RecordedRun.Of).ToList();
        if (Path.GetExtension(against).Equals(".toml", StringComparison.OrdinalIgnoreCase))
        {
            var theirs = Results(against, out var other);
            return Reporting.RunComparison.Render(now, theirs.Select(Reporting.RecordedRun.Of).ToList(), manifest.Name, other.Name);
        }
        var store = new ArtifactStore(manifest.Artifacts);
        var saved = new Reporting.RunHistory(store.RunsDirectory, manifest.Name).Find(against, workingDirectory);
        return $"{manifest.Name} now beside run {saved.RunId} of {saved.Manifest} (lorapar {saved.ToolVersion}, {saved.Time.UtcDateTime:yyyy-MM-dd HH:mm} UTC)\n\n"
            + Reporting.RunComparison.Render(now, saved.Runs, "now", $"run {saved.RunId}");
    }

    /// <summary>Saves this run's results under its run id (unless unchanged), so a later <c>compare --against</c> can name it.</summary>
    private void SaveResults(string manifestFile, PipelinePlan plan, ArtifactStore store, string runId)
    {
        var runs = Reporting.RunResultsReader.Read(plan, store).Select(Reporting.RecordedRun.Of).ToList();
        var history = new Reporting.RunHistory(store.RunsDirectory, plan.Manifest.Name);
        var saved = history.Save(new Reporting.SavedResults(runId, plan.Manifest.Name, StageExecutor.ToolVersion, DateTimeOffset.UtcNow, runs));
        console.Out.WriteLine(saved is null
            ? $"results unchanged since run {history.Ids()[^1]}"
            : $"results saved as run {saved} (later: {CommandHint.Lorapar} compare {manifestFile} --against {saved})");
    }

    private IReadOnlyList<Reporting.RunResults> Results(string manifestPath, out PipelineManifest manifest)
    {
        manifest = Load(manifestPath).Manifest;
        var store = new ArtifactStore(manifest.Artifacts);
        var plan = Plan(manifest, store);
        var results = Reporting.ReplicateMetrics.Add(Reporting.RunResultsReader.Read(plan, store), r => Reporting.ControlComparison.EvalFolder(plan, store, r));
        store.Hashes.Save();
        return results;
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LoraPar.Core;
using LoraPar.Method.Splitter;
using LoraPar.Model.Generation;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Progress;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Data;

namespace LoraPar.Pipeline.Stages.Labels;

/// <summary>
/// The <c>labels</c> stage (paper §3.2): runs the <see cref="SampleSplitter"/> over the training questions with the teachers of
/// <c>[splitter]</c> and writes labels.jsonl and labels.json (votes, balance, agreement, Fleiss' κ), d1.jsonl and d2.jsonl
/// (the training rows of each system) and metrics.json. For the synthetic task labels.json also holds the agreement of the
/// labels with the generator's ground truth. Answers go through a vote cache outside the artifact (<see cref="VoteCacheFile"/>),
/// so a cancelled or re-keyed stage asks no teacher the same question twice. API keys are read only from the environment
/// variables the manifest names.
/// </summary>
/// <param name="localScorers">Builds the scorer of a <c>local</c> teacher (loads its checkpoint); null: local teachers are refused.</param>
/// <param name="environment">Environment lookup, HTTP handler and clock for teachers (null: the process's own).</param>
public sealed class LabelsStage(Func<LocalTeacherConfig, ICompletionScorer>? localScorers = null, TeacherEnvironment? environment = null)
    : IStage
{
    /// <summary>Training rows labelled System 1 (D1), in train.jsonl order.</summary>
    public const string System1File = "d1.jsonl";

    /// <summary>Training rows labelled System 2 (D2).</summary>
    public const string System2File = "d2.jsonl";

    /// <inheritdoc />
    public string Kind => StageKinds.Labels;

    /// <inheritdoc />
    public int Version => 4;

    /// <inheritdoc />
    public StageDeclaration? Declare(PipelineManifest manifest)
    {
        var checkpoints = manifest.Splitter.Method == SplitterMethod.Random ? [] : manifest.Splitter.Teachers
            .Where(t => t is { Kind: TeacherKind.Local, Checkpoint: not null })
            .Select(t => new StageInputFile($"teacher:{t.Name}", t.Checkpoint!.Resolved))
            .ToList();
        if (manifest.Splitter.LabelsFile is { } file) checkpoints.Add(new StageInputFile("labels-file", file.Path.Resolved));
        if (manifest.Splitter.Prompt is { } prompt) checkpoints.Add(new StageInputFile("prompt", prompt.Resolved));
        return new([StageKinds.Data], [.. SplitterSection.LabelKeys, "seed"], checkpoints);
    }

    /// <inheritdoc />
    public void Execute(StageContext context)
    {
        var config = TeacherPanel.Build(context.Manifest);
        RequireLocalScorers(config);
        var rows = DatasetRows.Read(Path.Combine(context.UpstreamDirectory(StageKinds.Data), DataStage.TrainFile));
        var items = rows.Select(r => new SplitterItem(r.Id, r.Question, r.Answer)).ToList();
        var result = context.Manifest.Splitter.LabelsFile is { } file ? FromFile(context, config, file, items) : Split(context, config, items);
        var labelled = result.Labels.ToDictionary(l => l.Id, l => l.Label);
        DatasetRows.Write(context.OutputPath(System1File), rows.Where(r => labelled[r.Id] == ReasoningSystem.System1));
        DatasetRows.Write(context.OutputPath(System2File), rows.Where(r => labelled[r.Id] == ReasoningSystem.System2));
        var truth = rows.Where(r => r.System is 1 or 2).ToDictionary(r => r.Id, r => r.System!.Value);
        var agreement = GroundTruthAgreement.Compute(result.Labels, truth);
        if (agreement is not null) AddToStatistics(result.StatisticsPath, "ground_truth", agreement);
        var reference = context.Manifest.Splitter.LabelsFile is null ? ReferenceAgreement.Compute(context.Manifest.Splitter, items, result.Labels) : null;
        if (reference is not null) AddToStatistics(result.StatisticsPath, "reference", reference);
        MetricsFile.Write(context.OutputPath(MetricsFile.FileName), Metrics(result.Statistics, agreement, reference));
        var balance = result.Statistics.LabelBalance;
        var withReference = reference is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $", agreement with {reference.Teacher} {reference.Agreement.Accuracy:P1}");
        context.Log(string.Create(CultureInfo.InvariantCulture,
            $"labels: D1 {balance.System1.Count}, D2 {balance.System2.Count}{(agreement is null ? "" : $", ground-truth agreement {agreement.Accuracy:P1}")}{withReference}"));
        LogAbstentions(context, result.Statistics);
    }

    private SplitResult Split(StageContext context, SplitterConfig config, IReadOnlyList<SplitterItem> items)
    {
        var cachePath = VoteCacheFile.PathFor(context.Manifest.Artifacts, config);
        var teacherEnvironment = (environment ?? new TeacherEnvironment()) with
        {
            LocalScorers = localScorers,
            LoggerFactory = environment?.LoggerFactory ?? new StageLogging(context.Log),
        };
        using var claim = KeyLock.Acquire(VoteCacheFile.LockPathOf(cachePath), context.Cancellation, context.Log);
        using var task = context.Progress.Start("labels: teacher votes", (long)items.Count * Math.Max(config.Teachers.Count, 1), "asks");
        var bar = new SplitProgressBar(task);
        var request = new SplitRequest(context.OutputDirectory, cachePath) { Progress = bar };
        var result = new SampleSplitter(config, teacherEnvironment).RunAsync(items, request, context.Cancellation).GetAwaiter().GetResult();
        context.Log($"labels: {bar.Summary}; vote cache {cachePath}");
        return result;
    }

    /// <summary>The user's labels (<c>method = "labels-file"</c>): read, checked row by row against the training ids, voted, written.</summary>
    private static SplitResult FromFile(StageContext context, SplitterConfig config, LabelsFileSource file, IReadOnlyList<SplitterItem> items)
    {
        var table = LabelsFileReader.Read(file);
        var (labels, teachers) = GivenLabels.Label(items.Select(i => i.Id).ToList(), table, file.MissingLabels, config.TieBreak, config.Seed);
        var statistics = LabelStatistics.Compute(labels, teachers, [], config.Method, config.TieBreak);
        var (labelsPath, statisticsPath) = LabelsWriter.Write(context.OutputDirectory, labels, statistics);
        context.Log($"labels: {table.Rows.Count} rows of {file.Path.Resolved}"
                    + (teachers.Count > 0 ? $", votes of {string.Join(", ", teachers.Select(t => t.Name))}" : ""));
        return new SplitResult(labels, statistics, labelsPath, statisticsPath);
    }

    private void RequireLocalScorers(SplitterConfig config)
    {
        if (localScorers is not null || config.Teachers.OfType<LocalTeacherConfig>().FirstOrDefault() is not { } local) return;
        throw new BadInputException(
            $"splitter teacher \"{local.Name}\" is a local teacher (checkpoint {local.Checkpoint}), but this lorapar build has no model "
            + "loader for local teachers; use an openai teacher (any OpenAI-compatible server, e.g. vLLM serving that checkpoint) "
            + "or a heuristic teacher");
    }

    /// <summary>Warns, one line per teacher, about abstentions that a later run of the stage asks again.</summary>
    private static void LogAbstentions(StageContext context, LabelStatistics statistics)
    {
        foreach (var t in statistics.Teachers.Where(t => t.Open > 0))
            context.Log($"warning: labels: teacher {t.Name}: {t.Open} abstentions ({t.Unparseable} unparseable, {t.Failed} failed, "
                        + $"{t.Skipped} not asked) are labelled without its vote; they are asked again when the labels stage next runs "
                        + "(run --force labels)");
    }

    private static void AddToStatistics<T>(string path, string name, T value)
    {
        var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        document[name] = JsonSerializer.SerializeToNode(value, SplitterJson.Indented);
        AtomicFile.WriteAllText(path, document.ToJsonString(SplitterJson.Indented) + "\n");
    }

    private static Dictionary<string, double> Metrics(LabelStatistics statistics, GroundTruthAgreement? agreement, ReferenceAgreement? reference)
    {
        var metrics = new Dictionary<string, double>
        {
            ["labels_d1"] = statistics.LabelBalance.System1.Count,
            ["labels_d2"] = statistics.LabelBalance.System2.Count,
            ["labels_system2_percent"] = Math.Round(100 * statistics.LabelBalance.System2.Fraction, 4),
        };
        if (statistics.FleissKappa is { } kappa) metrics["labels_fleiss_kappa"] = kappa;
        if (agreement is not null) metrics["labels_ground_truth_accuracy"] = Math.Round(100 * agreement.Accuracy, 4);
        if (reference is not null) metrics["labels_reference_agreement"] = Math.Round(100 * reference.Agreement.Accuracy, 4);
        return metrics;
    }

    /// <summary>Advances a progress bar by the splitter's reports and shows done / cached / failed counts beside it.</summary>
    private sealed class SplitProgressBar(IProgressTask task) : IProgress<SplitProgress>
    {
        private SplitProgress _last;

        public string Summary => $"{_last.Done} of {_last.Total} asks done, {_last.Cached} from the cache, {_last.Failed} failed";

        public void Report(SplitProgress value)
        {
            task.Advance(value.Done - _last.Done);
            _last = value;
            task.Status($"done {value.Done}, cached {value.Cached}, failed {value.Failed}");
        }
    }
}

using System.Text.Json;
using LoraPar.Core;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Stages.Data;

/// <summary>Rows of one split, and (for the synthetic task) how many belong to each ground-truth system.</summary>
/// <param name="Rows">Rows written.</param>
/// <param name="RowsInFile">Rows in the input file before the cap (file datasets).</param>
/// <param name="System1">Ground-truth System-1 rows (synthetic task).</param>
/// <param name="System2">Ground-truth System-2 rows (synthetic task).</param>
public sealed record DataSplitSummary(int Rows, int? RowsInFile = null, int? System1 = null, int? System2 = null);

/// <summary><c>data.json</c>: the dataset and the size of each split.</summary>
public sealed record DataSummary(string Dataset, DataSplitSummary Train, DataSplitSummary Eval);

/// <summary>
/// The <c>data</c> stage: builds the training and evaluation sets as <see cref="DatasetRow"/> JSONL. The synthetic task is
/// generated from the seed (train.jsonl, eval.jsonl, and the ground-truth evaluation splits eval_s1.jsonl / eval_s2.jsonl);
/// a file dataset is read with <see cref="FileData"/>, capped by max_train_examples / max_eval_examples (seeded subsets),
/// and its files' bytes are part of the key, so editing a data file re-runs everything from here. A malformed row is bad
/// input naming the file and row (exit code 2).
/// </summary>
public sealed class DataStage : IStage
{
    /// <summary>Training rows.</summary>
    public const string TrainFile = "train.jsonl";

    /// <summary>Evaluation rows (empty when a file dataset names no data.eval).</summary>
    public const string EvalFile = "eval.jsonl";

    /// <summary>Synthetic evaluation rows whose ground truth is System 1.</summary>
    public const string EvalSystem1File = "eval_s1.jsonl";

    /// <summary>Synthetic evaluation rows whose ground truth is System 2.</summary>
    public const string EvalSystem2File = "eval_s2.jsonl";

    /// <summary>The summary.</summary>
    public const string SummaryFile = "data.json";

    private static readonly JsonSerializerOptions SummaryJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <inheritdoc />
    public string Kind => StageKinds.Data;

    /// <inheritdoc />
    public int Version => 2;

    /// <inheritdoc />
    public StageDeclaration? Declare(PipelineManifest manifest)
    {
        var data = manifest.Data;
        if (data.Dataset == DatasetKind.Synthetic) return new([], ["data", "seed"]) { From = manifest.DataSeeded() };
        var inputs = new List<StageInputFile>();
        if (data.Train is { } train) inputs.Add(new StageInputFile("train", train.Resolved));
        if (data.Eval is { } eval) inputs.Add(new StageInputFile("eval", eval.Resolved));
        if (OwnData.TemplateSource(manifest) is { } template && File.Exists(template)) inputs.Add(new StageInputFile(OwnData.TokenizerConfigInput, template));
        return new([], ["data", "seed"], inputs) { From = manifest.DataSeeded() };
    }

    /// <inheritdoc />
    public void Execute(StageContext context)
    {
        var summary = context.Manifest.Data.Dataset == DatasetKind.Synthetic ? WriteSynthetic(context) : WriteFiles(context);
        AtomicFile.WriteAllText(context.OutputPath(SummaryFile), JsonSerializer.Serialize(summary, SummaryJson) + "\n");
        context.Log($"data: {summary.Dataset}, {summary.Train.Rows} train and {summary.Eval.Rows} eval rows");
    }

    private static DataSummary WriteSynthetic(StageContext context)
    {
        using var progress = context.Progress.Start("data: synthetic task", 2, "splits");
        var (train, eval) = SyntheticData.Generate(context.Manifest.DataSeeded());
        context.Cancellation.ThrowIfCancellationRequested();
        DatasetRows.Write(context.OutputPath(TrainFile), train);
        progress.Advance();
        DatasetRows.Write(context.OutputPath(EvalFile), eval);
        DatasetRows.Write(context.OutputPath(EvalSystem1File), eval.Where(r => r.System == 1));
        DatasetRows.Write(context.OutputPath(EvalSystem2File), eval.Where(r => r.System == 2));
        progress.Advance();
        return new DataSummary(KebabCase.Name(DatasetKind.Synthetic), SystemCounts(train), SystemCounts(eval));
    }

    private static DataSummary WriteFiles(StageContext context)
    {
        var (data, seed) = (context.Manifest.Data, context.Manifest.DataSeeded().Seed);
        if (data.Train is null) throw new BadInputException($"data.dataset = \"{KebabCase.Name(data.Dataset)}\" needs data.train (a file)");
        using var progress = context.Progress.Start($"data: {KebabCase.Name(data.Dataset)}", 2, "files");
        var load = Loader(context);
        var train = WriteSplit(context, TrainFile, context.InputPath("train"), p => load(p, false), data.MaxTrainExamples, seed);
        progress.Advance();
        context.Cancellation.ThrowIfCancellationRequested();
        var eval = data.Eval is null
            ? WriteEmpty(context)
            : WriteSplit(context, EvalFile, context.InputPath("eval"), p => load(p, true), data.MaxEvalExamples, seed ^ 0x5EED);
        progress.Advance();
        return new DataSummary(KebabCase.Name(data.Dataset), train, eval);
    }

    /// <summary>How the stage reads a file (path, is it the eval file): one's own data through its columns and chat template, or a built-in format.</summary>
    private static Func<string, bool, IReadOnlyList<DatasetRow>> Loader(StageContext context)
    {
        var data = context.Manifest.Data;
        if (OwnDataKinds.LayoutOf(data.Dataset) is null)
            return (path, eval) => FileData.Load(eval ? FileData.EvalSource(data.Dataset, path) : FileData.TrainSource(data.Dataset, path));
        var config = OwnData.TemplateSource(context.Manifest) is { } file && File.Exists(file) ? context.InputPath(OwnData.TokenizerConfigInput) : null;
        var template = OwnData.TemplateOf(data, config);
        context.Log($"data: {KebabCase.Name(data.Dataset)} rendered with chat template {KebabCase.Name(template)}");
        return (path, _) => OwnData.Load(path, data, template);
    }

    private static DataSplitSummary WriteSplit(StageContext context, string file, string path, Func<string, IReadOnlyList<DatasetRow>> load, int cap, long seed)
    {
        var all = load(path);
        if (all.Count == 0) throw new BadInputException($"{path}: the file holds no rows; point the manifest at the dataset file");
        var rows = FileData.Cap(all, cap, seed);
        DatasetRows.Write(context.OutputPath(file), rows);
        return new DataSplitSummary(rows.Count, all.Count);
    }

    private static DataSplitSummary WriteEmpty(StageContext context)
    {
        DatasetRows.Write(context.OutputPath(EvalFile), []);
        context.Log("data: no data.eval given; eval.jsonl is empty");
        return new DataSplitSummary(0);
    }

    private static DataSplitSummary SystemCounts(IReadOnlyList<DatasetRow> rows) =>
        new(rows.Count, System1: rows.Count(r => r.System == 1), System2: rows.Count(r => r.System == 2));
}

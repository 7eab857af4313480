using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Stages.Data;

/// <summary>
/// The paper's corpora read through <see cref="DatasetLoader"/>: the training file in the dataset's own format, the evaluation
/// file in its benchmark's format (GSM8K test for GSM8K; MMLU for Dolly-15K and Open-Platypus; HumanEval for CodeAlpaca and
/// CodeFeedback). CodeFeedback is read as CodeAlpaca with its columns mapped (query → instruction, answer → output).
/// </summary>
public static class FileData
{
    /// <summary>CodeFeedback's columns for CodeAlpaca's fields.</summary>
    public static FieldMapping CodeFeedbackMapping { get; } = new(new Dictionary<string, string>
    {
        ["instruction"] = "query",
        ["output"] = "answer",
    });

    /// <summary>How to read the training file of <paramref name="dataset"/>.</summary>
    public static DatasetSource TrainSource(DatasetKind dataset, string path) => dataset switch
    {
        DatasetKind.Gsm8k => new DatasetSource(path, DatasetFormat.Gsm8k),
        DatasetKind.Dolly => new DatasetSource(path, DatasetFormat.Dolly15k),
        DatasetKind.Platypus => new DatasetSource(path, DatasetFormat.OpenPlatypus),
        DatasetKind.CodeAlpaca => new DatasetSource(path, DatasetFormat.CodeAlpaca),
        DatasetKind.CodeFeedback => new DatasetSource(path, DatasetFormat.CodeAlpaca, CodeFeedbackMapping),
        _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset, "not a file dataset"),
    };

    /// <summary>How to read the evaluation file of <paramref name="dataset"/>: the format of the benchmark it is evaluated on.</summary>
    public static DatasetSource EvalSource(DatasetKind dataset, string path) => dataset switch
    {
        DatasetKind.Gsm8k => new DatasetSource(path, DatasetFormat.Gsm8k),
        DatasetKind.Dolly or DatasetKind.Platypus => MmluSource(path),
        DatasetKind.CodeAlpaca or DatasetKind.CodeFeedback => new DatasetSource(path, DatasetFormat.HumanEval),
        _ => throw new ArgumentOutOfRangeException(nameof(dataset), dataset, "not a file dataset"),
    };

    /// <summary>
    /// Reads every row of <paramref name="source"/>; a malformed row is a <see cref="LoraPar.Core.BadInputException"/> naming
    /// the file, the row and the field.
    /// </summary>
    public static IReadOnlyList<DatasetRow> Load(DatasetSource source) => source.Format switch
    {
        DatasetFormat.Gsm8k => DatasetLoader.LoadGsm8k(source).Select(p => Row(p.ToExample(), p.Question, p.Solution)).ToList(),
        DatasetFormat.MmluCsv or DatasetFormat.MmluParquet => DatasetLoader.LoadMmlu(source)
            .Select(q => Row(q.ToExample(), q.Question, q.AnswerLetter) with { Choices = q.Choices }).ToList(),
        DatasetFormat.HumanEval => DatasetLoader.LoadHumanEval(source).Select(p => Row(p.ToExample(), p.Prompt, p.CanonicalSolution)).ToList(),
        _ => DatasetLoader.LoadExamples(source)
            .Select(e => Row(e, e.Metadata.GetValueOrDefault("question") ?? e.Prompt, e.Response)).ToList(),
    };

    /// <summary>At most <paramref name="cap"/> rows (0 = all), a seeded random subset kept in file order.</summary>
    public static IReadOnlyList<DatasetRow> Cap(IReadOnlyList<DatasetRow> rows, int cap, long seed) =>
        cap == 0 ? rows : DeterministicSampling.Subsample(rows, cap, seed);

    private static DatasetSource MmluSource(string path) =>
        TableFormats.Detect(path) == TableFormat.Csv
            ? new DatasetSource(path, DatasetFormat.MmluCsv)
            : new DatasetSource(path, DatasetFormat.MmluParquet, Table: TableFormats.Detect(path));

    private static DatasetRow Row(Example example, string question, string answer)
    {
        var metadata = example.Metadata.Where(kv => kv.Key != "question").ToDictionary(kv => kv.Key, kv => kv.Value);
        return new DatasetRow(example.Id, question, answer, example.Prompt, example.Response, example.GoldAnswer,
            Metadata: metadata.Count == 0 ? null : metadata);
    }
}

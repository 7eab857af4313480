using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Mmlu;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Stages.Eval;

/// <summary>
/// MMLU through <see cref="MmluEvaluator"/>: each option's letter scored by log-likelihood, 0- or k-shot with dev questions of the
/// same subject. Metrics (percent): <c>mmlu_accuracy_{point}</c> (micro, by question), <c>mmlu_macro_{point}</c> (mean over
/// subjects) and <c>mmlu_accuracy_{point}_{category}</c> for each supercategory present.
/// </summary>
public sealed class MmluBenchmark(IReadOnlyList<MmluQuestion> test, IReadOnlyList<MmluQuestion> dev, MmluEvalOptions options) : IEvalBenchmark
{
    /// <summary>The benchmark's name in file and metric names.</summary>
    public const string BenchmarkName = "mmlu";

    /// <inheritdoc />
    public string Name => BenchmarkName;

    /// <inheritdoc />
    public int Units => test.Count;

    /// <summary>Loads the questions <paramref name="settings"/> name (a seeded subset when it asks for one).</summary>
    public static MmluBenchmark Load(MmluEvalSection settings, string testPath, string? devPath, int batchSize, long seed)
    {
        var all = DatasetLoader.LoadMmlu(Source(testPath, "eval.mmlu.path", MmluEvalSection.PathHint));
        if (all.Count == 0) throw new BadInputException($"eval.mmlu.path: {testPath} holds no questions; {MmluEvalSection.PathHint}");
        var test = settings.Subset > 0 ? DeterministicSampling.Subsample(all, settings.Subset, seed) : all;
        var dev = settings.Shots > 0 && devPath is not null
            ? DatasetLoader.LoadMmlu(Source(devPath, "eval.mmlu.dev", MmluEvalSection.DevHint))
            : [];
        return new MmluBenchmark(test, dev, new MmluEvalOptions(settings.Shots, batchSize));
    }

    /// <summary>
    /// How to read an MMLU path: a folder of <c>.csv</c> files or a <c>.csv</c> file is the Hendrycks layout, anything else the
    /// cais/mmlu layout (Parquet, or JSON lines with the same fields).
    /// </summary>
    public static DatasetSource Source(string path, string key, string hint)
    {
        if (Directory.Exists(path))
            return Directory.EnumerateFiles(path, "*.csv").Any()
                ? new DatasetSource(path, DatasetFormat.MmluCsv)
                : new DatasetSource(path, DatasetFormat.MmluParquet);
        if (!File.Exists(path)) throw new BadInputException($"{key}: {path} not found; {hint}");
        var table = TableFormats.Detect(path);
        return table == TableFormat.Csv
            ? new DatasetSource(path, DatasetFormat.MmluCsv)
            : new DatasetSource(path, DatasetFormat.MmluParquet, Table: table);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Evaluate(EvalTarget target, EvalRun run)
    {
        var report = new MmluEvaluator(target.Scorer, options).Evaluate(test, dev, run.ResultsPath(Name, target.Point),
            run.Track(Name, target.Point), run.Context.Cancellation);
        run.Publish(Name, target.Point);
        var metrics = new Dictionary<string, double>
        {
            [$"mmlu_accuracy_{target.Point}"] = 100.0 * report.Micro.Estimate,
            [$"mmlu_macro_{target.Point}"] = 100.0 * report.Macro,
        };
        foreach (var category in report.Categories)
            metrics[$"mmlu_accuracy_{target.Point}_{KebabCase.Name(category.Category).Replace('-', '_')}"] = 100.0 * category.Accuracy;
        run.Context.Log($"mmlu @ {target.Point}: {100.0 * report.Micro.Estimate:F1}% of {report.Micro.Trials} ({report.Shots}-shot), "
            + $"macro {100.0 * report.Macro:F1}% over {report.Subjects.Count} subjects");
        return metrics;
    }
}

using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.HumanEval;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Stages.Eval;

/// <summary>
/// HumanEval through <see cref="HumanEvalEvaluator"/>: n completions per problem with the standard stop sequences, each run in
/// the sandbox, scored by the unbiased pass@k estimator. Metrics (percent): <c>humaneval_pass{k}_{point}</c> for each k of
/// <c>eval.humaneval.k</c> (the names <c>baselines/paper.toml</c> compares, e.g. <c>humaneval_pass1_stage1</c>).
/// The sandbox is checked when the benchmark is loaded, before any benchmark runs.
/// </summary>
public sealed class HumanEvalBenchmark(
    IReadOnlyList<HumanEvalProblem> problems, HumanEvalEvalOptions options, SandboxExecutor sandbox) : IEvalBenchmark
{
    /// <summary>The benchmark's name in file and metric names.</summary>
    public const string BenchmarkName = "humaneval";

    /// <inheritdoc />
    public string Name => BenchmarkName;

    /// <inheritdoc />
    public int Units => problems.Count * options.SamplesPerProblem;

    /// <summary>
    /// Loads the problems <paramref name="settings"/> name (a seeded subset when it asks for one) and starts the sandbox, which
    /// throws <see cref="BadInputException"/> naming what is missing when its isolation is unavailable.
    /// </summary>
    public static HumanEvalBenchmark Load(HumanevalSection settings, string path, int maxNewTokens, int batchSize, long seed)
    {
        if (!File.Exists(path)) throw new BadInputException($"eval.humaneval.path: {path} not found; {HumanevalSection.PathHint}");
        var all = DatasetLoader.LoadHumanEval(new DatasetSource(path, DatasetFormat.HumanEval));
        if (all.Count == 0) throw new BadInputException($"eval.humaneval.path: {path} holds no problems; {HumanevalSection.PathHint}");
        var problems = settings.Subset > 0 ? DeterministicSampling.Subsample(all, settings.Subset, seed) : all;
        var options = new HumanEvalEvalOptions(settings.Samples, settings.Temperature, MaxNewTokens: maxNewTokens, BatchSize: batchSize,
            Seed: seed, Ks: settings.K);
        var sandbox = SandboxOptions.Default with { Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds), Isolation = settings.Isolation };
        return new HumanEvalBenchmark(problems, options, new SandboxExecutor(sandbox));
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Evaluate(EvalTarget target, EvalRun run)
    {
        if (sandbox.Isolation == SandboxIsolation.None)
            run.Context.Log("warning: eval.humaneval.isolation = \"none\": model-written programs run unsandboxed, as this user, "
                + "with its files and network; use \"bubblewrap\" for untrusted models");
        var evaluator = new HumanEvalEvaluator(target.Generator, sandbox, options);
        var report = evaluator.Evaluate(problems, run.ResultsPath(Name, target.Point), run.Track(Name, target.Point), run.Context.Cancellation);
        run.Publish(Name, target.Point);
        var metrics = report.PassAtK.ToDictionary(kv => $"humaneval_pass{kv.Key}_{target.Point}", kv => 100.0 * kv.Value);
        run.Context.Log($"humaneval @ {target.Point}: {string.Join(", ", report.PassAtK.Select(kv => $"pass@{kv.Key} {100.0 * kv.Value:F1}%"))} "
            + $"over {report.Problems} problems × {report.SamplesPerProblem} (sandbox: {report.Isolation})");
        return metrics;
    }
}

using System.Diagnostics;
using System.Globalization;
using LoraPar.Core.Benchmarks;
using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Gsm8k;
using LoraPar.Evaluation.HumanEval;
using LoraPar.Model.Generation;

namespace LoraPar.Evaluation.Benchmarks;

/// <summary>
/// <c>lorapar bench eval</c>: HumanEval executor throughput over the canonical solutions with one worker per core
/// (<c>humaneval_samples_per_s</c>), and GSM8K evaluation throughput on a given generator (<c>gsm8k_questions_per_s</c>).
/// Without data files it measures on built-in synthetic problems of the same shape, and says so in the log.
/// </summary>
/// <param name="generatorFactory">Creates the generator GSM8K is evaluated with (the tiny model, wired by the caller).</param>
/// <param name="humanEvalPath">HumanEval <c>.jsonl.gz</c>, or null for synthetic problems.</param>
/// <param name="gsm8kPath">GSM8K <c>.jsonl</c>, or null for synthetic questions.</param>
public sealed class EvalBenchSuite(Func<ITextGenerator> generatorFactory, string? humanEvalPath = null, string? gsm8kPath = null) : IBenchSuite
{
    /// <inheritdoc />
    public string Name => "eval";

    /// <inheritdoc />
    public string Description => "HumanEval sandbox throughput (samples/s) and GSM8K evaluation throughput (questions/s)";

    /// <inheritdoc />
    public IReadOnlyList<BenchFigure> Run(BenchOptions options, Action<string> log, CancellationToken cancel)
    {
        var work = Path.Combine(Path.GetTempPath(), "lorapar-bench-eval-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            return [HumanEvalThroughput(options, log, work, cancel), Gsm8kThroughput(options, log, work, cancel)];
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private BenchFigure HumanEvalThroughput(BenchOptions options, Action<string> log, string work, CancellationToken cancel)
    {
        var problems = humanEvalPath is not null && File.Exists(humanEvalPath)
            ? DatasetLoader.LoadHumanEval(new DatasetSource(humanEvalPath, DatasetFormat.HumanEval))
            : SyntheticHumanEval(164);
        if (options.Quick) problems = problems.Take(32).ToList();
        var executor = new SandboxExecutor(SandboxOptions.Default with { Timeout = TimeSpan.FromSeconds(20), WorkRoot = work });
        log($"humaneval: {problems.Count} canonical solutions ({(humanEvalPath is null ? "synthetic" : humanEvalPath)}), " +
            $"{executor.Options.EffectiveWorkers} workers, isolation {executor.Isolation}");
        var programs = problems.Select(p => HumanEvalProgram.Compose(p, p.CanonicalSolution)).ToList();
        var clock = Stopwatch.StartNew();
        var results = executor.ExecuteAll(programs, cancel: cancel);
        var seconds = clock.Elapsed.TotalSeconds;
        log($"humaneval: {results.Count(r => r.Passed)}/{results.Count} passed in {seconds:0.00} s");
        return new BenchFigure("humaneval_samples_per_s", programs.Count / seconds, "samples/s", Better.Higher);
    }

    private BenchFigure Gsm8kThroughput(BenchOptions options, Action<string> log, string work, CancellationToken cancel)
    {
        var count = options.Quick ? 16 : 128;
        var all = gsm8kPath is not null && File.Exists(gsm8kPath)
            ? DatasetLoader.LoadGsm8k(new DatasetSource(gsm8kPath, DatasetFormat.Gsm8k))
            : SyntheticGsm8k(count);
        var questions = all.Take(count).ToList();
        var evaluator = new Gsm8kEvaluator(generatorFactory(), new Gsm8kEvalOptions(BatchSize: 8, MaxNewTokens: 128));
        log($"gsm8k: {questions.Count} questions ({(gsm8kPath is null ? "synthetic" : gsm8kPath)}), batch 8, greedy, 128 new tokens");
        var clock = Stopwatch.StartNew();
        var report = evaluator.Evaluate(questions, [], Path.Combine(work, "gsm8k.jsonl"), cancel: cancel);
        var seconds = clock.Elapsed.TotalSeconds;
        log($"gsm8k: strict accuracy {report.Strict.Estimate:0.000} in {seconds:0.00} s");
        return new BenchFigure("gsm8k_questions_per_s", questions.Count / seconds, "questions/s", Better.Higher);
    }

    /// <summary>Small problems of HumanEval's shape (a prompt, a body, a check), for machines without the dataset.</summary>
    public static IReadOnlyList<HumanEvalProblem> SyntheticHumanEval(int count) => Enumerable.Range(0, count).Select(i =>
    {
        var n = i.ToString(CultureInfo.InvariantCulture);
        return new HumanEvalProblem(
            $"Synthetic/{n}",
            $"def shift_{n}(xs: list) -> list:\n    \"\"\"Add {n} to every element, then sort.\"\"\"\n",
            $"    return sorted(x + {n} for x in xs)\n",
            $"def check(candidate):\n    assert candidate([3, 1, 2]) == [{i + 1}, {i + 2}, {i + 3}]\n    assert candidate([]) == []\n",
            $"shift_{n}");
    }).ToList();

    /// <summary>Arithmetic questions in GSM8K's shape, for machines without the dataset.</summary>
    public static IReadOnlyList<Gsm8kProblem> SyntheticGsm8k(int count) => Enumerable.Range(0, count).Select(i =>
    {
        var (a, b) = (i + 3, 2 * i + 5);
        var sum = (a + b).ToString(CultureInfo.InvariantCulture);
        return new Gsm8kProblem($"synthetic#{i}", $"Tom has {a} apples and buys {b} more. How many apples does he have?",
            $"{a} + {b} = {sum}\n#### {sum}", sum);
    }).ToList();
}

using System.Globalization;
using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Metrics;
using LoraPar.Evaluation.Runs;
using LoraPar.Model.Generation;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>HumanEval evaluation settings.</summary>
/// <param name="SamplesPerProblem">Completions per problem (n); pass@k is reported for each standard k ≤ n.</param>
/// <param name="Temperature">0 for greedy decoding (pass@1 with n = 1); the Codex paper samples at 0.2 or 0.8 for larger n.</param>
/// <param name="TopP">Nucleus sampling mass when sampling.</param>
/// <param name="MaxNewTokens">Completion length limit.</param>
/// <param name="BatchSize">Prompts per generation call.</param>
/// <param name="Seed">Sampling seed; each batch uses this plus the index of its first sample.</param>
/// <param name="Ks">The k of each pass@k reported (those ≤ n); null for the standard 1, 10, 100.</param>
public sealed record HumanEvalEvalOptions(
    int SamplesPerProblem = 1,
    double Temperature = 0,
    double TopP = 0.95,
    int MaxNewTokens = 512,
    int BatchSize = 8,
    long Seed = 1234,
    IReadOnlyList<int>? Ks = null)
{
    /// <summary>The k values reported.</summary>
    public IReadOnlyList<int> ReportedKs => Ks ?? PassAtK.StandardKs;
}

/// <summary>One HumanEval result line: a sample's completion, how its program ended, and the isolation it ran under.</summary>
public sealed record HumanEvalRecord(
    string Id, string TaskId, int Sample, string Completion, ExecutionOutcome Outcome, string Detail, SandboxIsolation Isolation) : IEvalRecord;

/// <summary>HumanEval pass@k (for each standard k ≤ n) and the isolation the programs ran under.</summary>
public sealed record HumanEvalReport(
    IReadOnlyDictionary<int, double> PassAtK, int Problems, int SamplesPerProblem, SandboxIsolation Isolation);

/// <summary>
/// Evaluates a model on HumanEval: generates completions with the standard stop sequences, runs each completed program in
/// the sandbox, and estimates pass@k without bias. Batched and resumable through the results file.
/// </summary>
public sealed class HumanEvalEvaluator(ITextGenerator generator, SandboxExecutor executor, HumanEvalEvalOptions options)
{
    /// <summary>The id of sample <paramref name="sample"/> of a task, as written to the results file.</summary>
    public static string SampleId(string taskId, int sample) => $"{taskId}#{sample.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Evaluates <paramref name="problems"/>, appending one record per sample to <paramref name="resultsPath"/>.</summary>
    public HumanEvalReport Evaluate(
        IReadOnlyList<HumanEvalProblem> problems,
        string resultsPath,
        IProgress<EvalProgress>? progress = null,
        CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SamplesPerProblem, 1);
        var samples = problems
            .SelectMany(p => Enumerable.Range(0, options.SamplesPerProblem).Select(s => (Problem: p, Sample: s)))
            .Select((item, index) => (item.Problem, item.Sample, Index: index))
            .ToList();
        using var log = ResultLog<HumanEvalRecord>.Open(resultsPath);
        var records = BatchedRun.Run(samples, s => SampleId(s.Problem.TaskId, s.Sample), log, options.BatchSize, batch =>
        {
            var generation = new GenerationOptions
            {
                MaxNewTokens = options.MaxNewTokens, Temperature = options.Temperature, TopP = options.TopP,
                StopStrings = HumanEvalProgram.StopStrings, Seed = options.Seed + batch[0].Index, DecodeAfterPrompt = true,
            };
            var outputs = generator.Generate(batch.Select(s => s.Problem.Prompt).ToList(), generation);
            if (outputs.Count != batch.Count)
                throw new InvalidOperationException($"the generator returned {outputs.Count} completions for {batch.Count} prompts");
            var programs = batch.Select((s, i) => HumanEvalProgram.Compose(s.Problem, outputs[i].Text)).ToList();
            var results = executor.ExecuteAll(programs, cancel: cancel);
            return batch.Select((s, i) => new HumanEvalRecord(
                SampleId(s.Problem.TaskId, s.Sample), s.Problem.TaskId, s.Sample, outputs[i].Text, results[i].Outcome, results[i].Detail, executor.Isolation)).ToList();
        }, progress, cancel);
        return Summarize(records, executor.Isolation, options.ReportedKs);
    }

    /// <summary>pass@k over the records, grouped by task, for each k of <paramref name="ks"/> (default 1, 10, 100) that n allows.</summary>
    public static HumanEvalReport Summarize(IReadOnlyList<HumanEvalRecord> records, SandboxIsolation isolation, IEnumerable<int>? ks = null)
    {
        var perTask = records
            .GroupBy(r => r.TaskId, StringComparer.Ordinal)
            .Select(g => (Samples: g.Count(), Correct: g.Count(r => r.Outcome == ExecutionOutcome.Passed)))
            .ToList();
        var n = perTask.Count == 0 ? 0 : perTask.Min(t => t.Samples);
        return new HumanEvalReport(PassAtK.Mean(perTask, ks ?? PassAtK.StandardKs), perTask.Count, n, isolation);
    }
}

using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Metrics;
using LoraPar.Evaluation.Runs;
using LoraPar.Model.Generation;

namespace LoraPar.Evaluation.Gsm8k;

/// <summary>GSM8K evaluation settings.</summary>
/// <param name="Shots">Solved train problems shown before each question (0 for zero-shot; 8 is customary).</param>
/// <param name="Style">Prompt and answer layout.</param>
/// <param name="BatchSize">Prompts per generation call.</param>
/// <param name="MaxNewTokens">Completion length limit.</param>
/// <param name="Seed">Chooses the shots from the train split.</param>
public sealed record Gsm8kEvalOptions(
    int Shots = 0,
    Gsm8kPromptStyle Style = Gsm8kPromptStyle.QuestionAnswer,
    int BatchSize = 8,
    int MaxNewTokens = 256,
    long Seed = 1234);

/// <summary>One GSM8K result line: the completion, both extracted answers and whether each is right.</summary>
public sealed record Gsm8kRecord(
    string Id, string Question, string Gold, string Completion,
    string? StrictAnswer, string? FlexibleAnswer, bool StrictCorrect, bool FlexibleCorrect) : IEvalRecord;

/// <summary>GSM8K accuracy under both extractions, each with its Wilson 95% interval.</summary>
public sealed record Gsm8kReport(Proportion Strict, Proportion Flexible, int Shots, Gsm8kPromptStyle Style);

/// <summary>
/// Evaluates a model on GSM8K: greedy generation of a solution per question, in batches, resumable through the
/// per-example results file, graded by strict and flexible answer extraction.
/// </summary>
public sealed class Gsm8kEvaluator(ITextGenerator generator, Gsm8kEvalOptions options)
{
    /// <summary>The shots for this evaluation: a seeded choice of <see cref="Gsm8kEvalOptions.Shots"/> train problems.</summary>
    public IReadOnlyList<Gsm8kProblem> ChooseShots(IReadOnlyList<Gsm8kProblem> train) =>
        DeterministicSampling.Subsample(train, options.Shots, options.Seed);

    /// <summary>
    /// Evaluates <paramref name="test"/>, appending per-example records to <paramref name="resultsPath"/> (JSONL; the
    /// questions already there are not asked again) and returns the accuracies over all of <paramref name="test"/>.
    /// </summary>
    public Gsm8kReport Evaluate(
        IReadOnlyList<Gsm8kProblem> test,
        IReadOnlyList<Gsm8kProblem> train,
        string resultsPath,
        IProgress<EvalProgress>? progress = null,
        CancellationToken cancel = default)
    {
        if (options.Shots > train.Count)
            throw new LoraPar.Core.BadInputException($"GSM8K: {options.Shots} shots asked for but the train split has only {train.Count} problems");
        var shots = ChooseShots(train);
        var generation = new GenerationOptions
        {
            MaxNewTokens = options.MaxNewTokens, Temperature = 0, StopStrings = Gsm8kPrompt.StopStrings,
        };
        using var log = ResultLog<Gsm8kRecord>.Open(resultsPath);
        var records = BatchedRun.Run(test, p => p.Id, log, options.BatchSize, batch =>
        {
            var prompts = batch.Select(p => Gsm8kPrompt.Build(p.Question, shots, options.Style)).ToList();
            var outputs = generator.Generate(prompts, generation);
            if (outputs.Count != prompts.Count)
                throw new InvalidOperationException($"the generator returned {outputs.Count} completions for {prompts.Count} prompts");
            return batch.Select((p, i) => Grade(p, outputs[i].Text)).ToList();
        }, progress, cancel);
        return Summarize(records, options);
    }

    /// <summary>The result record of one problem answered with <paramref name="completion"/>.</summary>
    public static Gsm8kRecord Grade(Gsm8kProblem problem, string completion)
    {
        var grade = Gsm8kGrade.Of(completion, problem.GoldAnswer);
        return new Gsm8kRecord(problem.Id, problem.Question, problem.GoldAnswer, completion,
            grade.StrictAnswer, grade.FlexibleAnswer, grade.StrictCorrect, grade.FlexibleCorrect);
    }

    /// <summary>Accuracies over <paramref name="records"/>.</summary>
    public static Gsm8kReport Summarize(IReadOnlyList<Gsm8kRecord> records, Gsm8kEvalOptions options) => new(
        WilsonInterval.Of(records.Count(r => r.StrictCorrect), records.Count),
        WilsonInterval.Of(records.Count(r => r.FlexibleCorrect), records.Count),
        options.Shots,
        options.Style);
}

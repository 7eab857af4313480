using LoraPar.Core;
using LoraPar.Evaluation.Gsm8k;
using LoraPar.Evaluation.Runs;
using LoraPar.Model.Generation;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages.Data;

namespace LoraPar.Pipeline.Stages.Eval;

/// <summary>One graded answer, as written to <c>{set}_{point}.jsonl</c>.</summary>
public sealed record AnswerRecord(string Id, string Gold, string Output, bool Strict, bool Flexible) : IGradedRecord
{
    /// <summary>The verdict paired comparisons count: the strict grade, as the accuracy is.</summary>
    bool IGradedRecord.Verdict => Strict;
}

/// <summary>
/// Answers to GSM8K-format questions (the gold is a number), graded as the GSM8K evaluator grades them: strict takes
/// <c>#### N</c> or <c>&lt;answer&gt;N&lt;/answer&gt;</c>, flexible the last number in the text. Metrics:
/// <c>{set}_accuracy_{point}</c> (strict) and <c>{set}_accuracy_{point}_flexible</c>, in percent; with
/// <see cref="LmEvalMetrics"/> also <c>{set}_lmeval_strict_{point}</c> and <c>{set}_lmeval_flexible_{point}</c>, the same
/// outputs scored as lm-evaluation-harness scores its gsm8k task (<see cref="LmEvalGsm8k"/>).
/// </summary>
/// <param name="Name">The set's name: <c>gsm8k</c>, <c>synthetic_s1</c>, <c>synthetic_s2</c>.</param>
/// <param name="Rows">The questions.</param>
/// <param name="Prompt">The prompt of a row.</param>
/// <param name="Options">Decoding settings.</param>
/// <param name="BatchSize">Prompts per generation call.</param>
public sealed record AnswerAccuracy(string Name, IReadOnlyList<DatasetRow> Rows, Func<DatasetRow, string> Prompt,
    GenerationOptions Options, int BatchSize) : IEvalBenchmark
{
    /// <summary>Whether to report lm-evaluation-harness's <c>strict-match</c> and <c>flexible-extract</c> beside lorapar's grades.</summary>
    public bool LmEvalMetrics { get; init; }

    /// <summary>The points this set is asked at (null: every point).</summary>
    public Func<EvalPoint, bool>? At { get; init; }

    /// <inheritdoc />
    public bool Covers(EvalPoint point) => At?.Invoke(point) ?? true;

    /// <summary>Stops the tiny model's (and a base model's) run-on into a next question.</summary>
    public static IReadOnlyList<string> StopStrings { get; } = ["\nQuestion:"];

    /// <inheritdoc />
    public int Units => Rows.Count;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Evaluate(EvalTarget target, EvalRun run)
    {
        IReadOnlyList<AnswerRecord> records;
        using (var log = ResultLog<AnswerRecord>.Open(run.ResultsPath(Name, target.Point)))
            records = BatchedRun.Run(Rows, r => r.Id, log, BatchSize, batch => Grade(target.Generator, batch),
                run.Track(Name, target.Point), run.Context.Cancellation);
        run.Publish(Name, target.Point);
        if (records.Count == 0)
        {
            run.Context.Log($"{Name} @ {target.Point}: no rows to grade (no data.eval), no accuracy reported");
            return new Dictionary<string, double>();
        }
        var (strict, flexible) = (Percent(records, r => r.Strict), Percent(records, r => r.Flexible));
        run.Context.Log($"{Name} @ {target.Point}: strict {strict:F1}%, flexible {flexible:F1}% of {records.Count}");
        var metrics = new Dictionary<string, double>
        {
            [$"{Name}_accuracy_{target.Point}"] = strict,
            [$"{Name}_accuracy_{target.Point}_flexible"] = flexible,
        };
        if (LmEvalMetrics)
        {
            metrics[$"{Name}_lmeval_strict_{target.Point}"] = Percent(records, r => LmEvalGsm8k.StrictCorrect(r.Output, r.Gold));
            metrics[$"{Name}_lmeval_flexible_{target.Point}"] = Percent(records, r => LmEvalGsm8k.FlexibleCorrect(r.Output, r.Gold));
        }
        return metrics;
    }

    private IReadOnlyList<AnswerRecord> Grade(ITextGenerator generator, IReadOnlyList<DatasetRow> batch)
    {
        var answers = generator.Generate(batch.Select(Prompt).ToList(), Options);
        return batch.Select((row, i) =>
        {
            var gold = row.Gold ?? throw new BadInputException($"eval row {row.Id} has no gold answer; re-run the data stage");
            var text = answers[i].Text;
            return new AnswerRecord(row.Id, gold, text,
                NumericAnswer.Equal(AnswerExtractor.Extract(text, ExtractionMode.Strict), gold),
                NumericAnswer.Equal(AnswerExtractor.Extract(text, ExtractionMode.Flexible), gold));
        }).ToList();
    }

    private static double Percent(IReadOnlyList<AnswerRecord> records, Func<AnswerRecord, bool> correct) =>
        records.Count == 0 ? double.NaN : 100.0 * records.Count(correct) / records.Count;
}

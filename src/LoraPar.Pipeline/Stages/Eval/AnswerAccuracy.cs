using System.Text.Json;
using LoraPar.Core;
using LoraPar.Evaluation.Gsm8k;
using LoraPar.Model.Generation;
using LoraPar.Pipeline.Stages.Data;

namespace LoraPar.Pipeline.Stages.Eval;

/// <summary>Strict and flexible exact-match accuracy of one eval set at one model state, in percent.</summary>
public sealed record AccuracyResult(int Count, double StrictPercent, double FlexiblePercent);

/// <summary>
/// Greedy answers to GSM8K-format questions (the gold is a number), graded as the GSM8K evaluator grades them: strict takes
/// <c>#### N</c> or <c>&lt;answer&gt;N&lt;/answer&gt;</c>, flexible the last number in the text. Every answer goes to a JSONL file.
/// </summary>
public static class AnswerAccuracy
{
    /// <summary>Stops the tiny model's (and a base model's) run-on into a next question.</summary>
    public static IReadOnlyList<string> StopStrings { get; } = ["\nQuestion:"];

    /// <summary>Answers every row (prompt built by <paramref name="prompt"/>) in batches and grades it; <paramref name="advance"/> hears each batch.</summary>
    public static AccuracyResult Evaluate(ITextGenerator generator, IReadOnlyList<DatasetRow> rows, Func<DatasetRow, string> prompt,
        GenerationOptions options, int batchSize, string outputPath, Action<int> advance, CancellationToken cancel)
    {
        var (strict, flexible) = (0, 0);
        var lines = new List<string>(rows.Count);
        foreach (var batch in rows.Chunk(batchSize))
        {
            cancel.ThrowIfCancellationRequested();
            var answers = generator.Generate(batch.Select(prompt).ToList(), options);
            for (var i = 0; i < batch.Length; i++)
            {
                var gold = batch[i].Gold ?? throw new BadInputException($"eval row {batch[i].Id} has no gold answer");
                var text = answers[i].Text;
                var s = NumericAnswer.Equal(AnswerExtractor.Extract(text, ExtractionMode.Strict), gold);
                var f = NumericAnswer.Equal(AnswerExtractor.Extract(text, ExtractionMode.Flexible), gold);
                (strict, flexible) = (strict + (s ? 1 : 0), flexible + (f ? 1 : 0));
                lines.Add(JsonSerializer.Serialize(new { id = batch[i].Id, gold, output = text, strict = s, flexible = f }));
            }
            advance(batch.Length);
        }
        AtomicFile.WriteAllText(outputPath, string.Concat(lines.Select(l => l + "\n")));
        return rows.Count == 0 ? new AccuracyResult(0, double.NaN, double.NaN)
            : new AccuracyResult(rows.Count, 100.0 * strict / rows.Count, 100.0 * flexible / rows.Count);
    }
}

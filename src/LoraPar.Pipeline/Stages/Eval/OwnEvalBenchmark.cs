using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Own;
using LoraPar.Evaluation.Runs;
using LoraPar.Model.Generation;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Stages.Eval;

/// <summary>
/// One graded answer of one's own held-out file, as written to <c>own_{point}.jsonl</c>: the prompt asked, the model's output
/// (for choice, the option picked), the gold answer and the verdict; for choice also each option's log-likelihood and the
/// length-normalised verdict (lm-evaluation-harness's <c>acc_norm</c>).
/// </summary>
public sealed record OwnAnswerRecord(string Id, string Prompt, string Gold, string Output, bool Correct,
    IReadOnlyList<double>? OptionLogLikelihoods = null, bool? CorrectNorm = null) : IGradedRecord
{
    /// <inheritdoc />
    bool IGradedRecord.Verdict => Correct;
}

/// <summary>
/// <c>[eval.own]</c>: one's own held-out questions, prompts rendered with the data's chat template, graded by the section's
/// <see cref="AnswerMetric"/> through <see cref="AnswerGrader"/> (generated answers, greedy unless eval.temperature says
/// otherwise) or, for choice, by option log-likelihood (<see cref="OptionChoice"/>). Metrics (percent):
/// <c>own_accuracy_{point}</c>, and for choice <c>own_accuracy_norm_{point}</c>. <c>eval.limit</c> keeps the first rows (<see cref="EvalSuite"/>).
/// </summary>
public sealed class OwnEvalBenchmark(IReadOnlyList<HeldOutExample> rows, ChatTemplate template, OwnEvalSection settings, GenerationOptions options,
    int batchSize) : IEvalBenchmark
{
    /// <summary>The answer set's name in file and metric names.</summary>
    public const string SetName = "own";

    private readonly AnswerGrader _grader = new(settings.Metric, settings.AnswerRegex, settings.Pattern);

    /// <inheritdoc />
    public string Name => SetName;

    /// <inheritdoc />
    public int Units => rows.Count;

    /// <summary>The held-out file's rows as <paramref name="settings"/> read them (with options for choice).</summary>
    public static IReadOnlyList<HeldOutExample> Load(string path, OwnEvalSection settings, DataSection data) =>
        DatasetLoader.LoadHeldOut(path, settings.LayoutFor(data), settings.Mapping(), settings.Metric == AnswerMetric.Choice);

    /// <summary>The prompt of <paramref name="row"/> under <paramref name="template"/> (as training renders its questions).</summary>
    public static string PromptOf(HeldOutExample row, ChatTemplate template) => row.Record.ToExample(template).Prompt;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Evaluate(EvalTarget target, EvalRun run)
    {
        IReadOnlyList<OwnAnswerRecord> records;
        using (var log = ResultLog<OwnAnswerRecord>.Open(run.ResultsPath(Name, target.Point)))
            records = BatchedRun.Run(rows, r => r.Record.Id, log, batchSize,
                batch => settings.Metric == AnswerMetric.Choice ? Choose(target.Scorer, batch) : Grade(target.Generator, batch),
                run.Track(Name, target.Point), run.Context.Cancellation);
        run.Publish(Name, target.Point);
        var accuracy = Percent(records, r => r.Correct);
        run.Context.Log($"own @ {target.Point}: {accuracy:F1}% of {records.Count} ({AnswerGrader.Name(settings.Metric)})");
        var metrics = new Dictionary<string, double> { [$"{Name}_accuracy_{target.Point}"] = accuracy };
        if (settings.Metric == AnswerMetric.Choice) metrics[$"{Name}_accuracy_norm_{target.Point}"] = Percent(records, r => r.CorrectNorm == true);
        return metrics;
    }

    private IReadOnlyList<OwnAnswerRecord> Grade(ITextGenerator generator, IReadOnlyList<HeldOutExample> batch)
    {
        var prompts = batch.Select(r => PromptOf(r, template)).ToList();
        var answers = generator.Generate(prompts, options);
        return batch.Select((row, i) => new OwnAnswerRecord(row.Record.Id, prompts[i], row.Record.Answer, answers[i].Text,
            _grader.Correct(answers[i].Text, row.Record.Answer))).ToList();
    }

    private IReadOnlyList<OwnAnswerRecord> Choose(ICompletionScorer scorer, IReadOnlyList<HeldOutExample> batch)
    {
        var prompts = batch.Select(r => PromptOf(r, template)).ToList();
        var requests = batch.SelectMany((row, i) => row.Options!.Select(o => new ScoringRequest(prompts[i], OptionChoice.Delimiter + o))).ToList();
        var scores = scorer.LogLikelihood(requests);
        var records = new List<OwnAnswerRecord>();
        var at = 0;
        foreach (var (row, i) in batch.Select((r, i) => (r, i)))
        {
            var options = row.Options!;
            var ll = scores.Skip(at).Take(options.Count).ToList();
            at += options.Count;
            var (picked, normalized) = (OptionChoice.BySum(ll), OptionChoice.ByLength(ll, options));
            records.Add(new OwnAnswerRecord(row.Record.Id, prompts[i], row.Record.Answer, options[picked], picked == row.GoldIndex, ll,
                normalized == row.GoldIndex));
        }
        return records;
    }

    private static double Percent(IReadOnlyList<OwnAnswerRecord> records, Func<OwnAnswerRecord, bool> correct) =>
        records.Count == 0 ? double.NaN : 100.0 * records.Count(correct) / records.Count;
}

using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Metrics;
using LoraPar.Evaluation.Runs;
using LoraPar.Model.Generation;

namespace LoraPar.Evaluation.Mmlu;

/// <summary>MMLU evaluation settings.</summary>
/// <param name="Shots">Solved dev questions of the same subject shown first (0 or 5 in the standard protocol).</param>
/// <param name="BatchSize">Questions per scorer call (each asks one log-likelihood per option).</param>
public sealed record MmluEvalOptions(int Shots = 0, int BatchSize = 16);

/// <summary>One MMLU result line: the log-likelihood of each option's letter, the pick and whether it is right.</summary>
public sealed record MmluRecord(
    string Id, string Subject, int Gold, IReadOnlyList<double> LogLikelihoods, int Predicted, bool Correct) : IEvalRecord;

/// <summary>Accuracy of one supercategory (every question weighs the same).</summary>
public sealed record CategoryAccuracy(MmluCategory Category, int Correct, int Total)
{
    /// <summary>Correct / total (0 for no questions).</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}

/// <summary>MMLU accuracy: micro (by question, with its Wilson interval), macro (mean over subjects), per subject and per category.</summary>
public sealed record MmluReport(
    Proportion Micro, double Macro, IReadOnlyList<GroupAccuracy> Subjects, IReadOnlyList<CategoryAccuracy> Categories, int Shots);

/// <summary>
/// Evaluates a model on MMLU by log-likelihood: each option's letter (" A", " B", …) is scored after the prompt, and the
/// option with the highest log-likelihood is the model's answer. Batched and resumable through the results file.
/// </summary>
public sealed class MmluEvaluator(ICompletionScorer scorer, MmluEvalOptions options)
{
    /// <summary>
    /// Evaluates <paramref name="test"/> with shots from <paramref name="dev"/> (the first <see cref="MmluEvalOptions.Shots"/>
    /// dev questions of each subject), appending per-question records to <paramref name="resultsPath"/>.
    /// </summary>
    public MmluReport Evaluate(
        IReadOnlyList<MmluQuestion> test,
        IReadOnlyList<MmluQuestion> dev,
        string resultsPath,
        IProgress<EvalProgress>? progress = null,
        CancellationToken cancel = default)
    {
        var shots = ShotsBySubject(test, dev, options.Shots);
        using var log = ResultLog<MmluRecord>.Open(resultsPath);
        var records = BatchedRun.Run(test, q => q.Id, log, options.BatchSize, batch => Score(batch, shots), progress, cancel);
        return Summarize(records, options.Shots);
    }

    /// <summary>The index of the largest log-likelihood (the first on ties).</summary>
    public static int Pick(IReadOnlyList<double> logLikelihoods)
    {
        if (logLikelihoods.Count == 0) throw new ArgumentException("no options to pick from", nameof(logLikelihoods));
        var best = 0;
        for (var i = 1; i < logLikelihoods.Count; i++)
            if (logLikelihoods[i] > logLikelihoods[best]) best = i;
        return best;
    }

    /// <summary>The report over <paramref name="records"/>.</summary>
    public static MmluReport Summarize(IReadOnlyList<MmluRecord> records, int shots)
    {
        var aggregate = AccuracyAggregate.Of(records.Select(r => new GradedItem(r.Subject, r.Correct)));
        var categories = Enum.GetValues<MmluCategory>()
            .Select(c => (Category: c, Groups: aggregate.Groups.Where(g => MmluCategories.Of(g.Group) == c).ToList()))
            .Where(c => c.Groups.Count > 0)
            .Select(c => new CategoryAccuracy(c.Category, c.Groups.Sum(g => g.Correct), c.Groups.Sum(g => g.Total)))
            .ToList();
        return new MmluReport(aggregate.Micro, aggregate.Macro, aggregate.Groups, categories, shots);
    }

    private IReadOnlyList<MmluRecord> Score(IReadOnlyList<MmluQuestion> batch, IReadOnlyDictionary<string, IReadOnlyList<MmluQuestion>> shots)
    {
        var requests = new List<ScoringRequest>();
        foreach (var question in batch)
        {
            var prompt = MmluPrompt.Build(question, shots[question.Subject]);
            for (var i = 0; i < question.Choices.Count; i++) requests.Add(new ScoringRequest(prompt, MmluPrompt.Continuation(i)));
        }
        var scores = scorer.LogLikelihood(requests);
        if (scores.Count != requests.Count)
            throw new InvalidOperationException($"the scorer returned {scores.Count} log-likelihoods for {requests.Count} requests");
        var records = new List<MmluRecord>(batch.Count);
        var offset = 0;
        foreach (var question in batch)
        {
            var own = scores.Skip(offset).Take(question.Choices.Count).ToList();
            offset += own.Count;
            var picked = Pick(own);
            records.Add(new MmluRecord(question.Id, question.Subject, question.AnswerIndex, own, picked, picked == question.AnswerIndex));
        }
        return records;
    }

    private static Dictionary<string, IReadOnlyList<MmluQuestion>> ShotsBySubject(
        IReadOnlyList<MmluQuestion> test, IReadOnlyList<MmluQuestion> dev, int shots)
    {
        var result = new Dictionary<string, IReadOnlyList<MmluQuestion>>(StringComparer.Ordinal);
        foreach (var subject in test.Select(q => q.Subject).Distinct(StringComparer.Ordinal))
        {
            var pool = dev.Where(q => q.Subject == subject).Take(shots).ToList();
            if (pool.Count < shots)
                throw new BadInputException(
                    $"MMLU: {shots}-shot evaluation needs {shots} dev questions of subject '{subject}', found {pool.Count}; " +
                    "give the dev split that covers every test subject, or use 0 shots");
            result[subject] = pool;
        }
        return result;
    }
}

using LoraPar.Core;
using Microsoft.Extensions.Logging;

namespace LoraPar.Method.Splitter;

/// <summary>Where a splitter run writes: its output folder (labels.jsonl, labels.json) and the vote cache shared between runs.</summary>
public sealed record SplitRequest(string OutputDirectory, string CachePath)
{
    /// <summary>Receives a report after every finished ask, one at a time (from worker threads).</summary>
    public IProgress<SplitProgress>? Progress { get; init; }
}

/// <summary>What a splitter run produced: every question's label, the statistics, and the files written.</summary>
public sealed record SplitResult(IReadOnlyList<ItemLabel> Labels, LabelStatistics Statistics, string LabelsPath, string StatisticsPath)
{
    /// <summary>Ids of the questions labelled System 1 (D1), in input order.</summary>
    public IReadOnlyList<string> System1Ids => Labels.Where(l => l.Label == ReasoningSystem.System1).Select(l => l.Id).ToList();

    /// <summary>Ids of the questions labelled System 2 (D2), in input order.</summary>
    public IReadOnlyList<string> System2Ids => Labels.Where(l => l.Label == ReasoningSystem.System2).Select(l => l.Id).ToList();
}

/// <summary>
/// The paper's sample splitter (§3.2): every teacher role-plays the target model and labels every question System 1 or
/// System 2; the votes are aggregated by weighted majority. Asks run with bounded concurrency, answers go through the
/// persistent <see cref="VoteCache"/> (an interrupted run resumes without asking twice; an abstention is asked again on later
/// runs, a bounded number of times), a teacher that keeps failing stops the run or is taken out of it, as
/// <see cref="SplitterConfig.OnTeacherFailure"/> says, and <see cref="AbstentionGuard"/> refuses labels without enough real votes.
/// </summary>
public sealed class SampleSplitter(SplitterConfig config, TeacherEnvironment environment)
{
    private readonly ILogger _logger = environment.LoggerFactory.CreateLogger<SampleSplitter>();

    /// <summary>
    /// Labels <paramref name="items"/> and writes labels.jsonl and labels.json into the request's output folder.
    /// Throws <see cref="BadInputException"/> for an invalid configuration or items, <see cref="JobFailedException"/> when a
    /// teacher keeps failing under the stop policy (or every teacher fails), and <see cref="OperationCanceledException"/>
    /// when cancelled (answers received so far stay in the cache).
    /// </summary>
    public async Task<SplitResult> RunAsync(IReadOnlyList<SplitterItem> items, SplitRequest request, CancellationToken cancellationToken = default)
    {
        config.EnsureValid();
        if (config.Method == SplitterMethod.LabelsFile)
            throw new BadInputException("method = \"labels-file\" asks no teacher; label the questions with GivenLabels.Label instead");
        ValidateItems(items);
        IReadOnlyList<ItemLabel> labels;
        IReadOnlyList<TeacherFailure> failures = [];
        if (config.Method == SplitterMethod.Random)
            labels = RandomLabeller.Label(items.Select(i => i.Id).ToList(), config.Seed, config.RandomSystem2Fraction);
        else
            (labels, failures) = await VoteAsync(items, request, cancellationToken).ConfigureAwait(false);
        var teachers = config.Method == SplitterMethod.Random ? [] : config.Teachers;
        var statistics = LabelStatistics.Compute(labels, teachers, failures, config.Method, config.TieBreak);
        var (labelsPath, statisticsPath) = LabelsWriter.Write(request.OutputDirectory, labels, statistics);
        return new SplitResult(labels, statistics, labelsPath, statisticsPath);
    }

    /// <summary>Throws <see cref="BadInputException"/> listing empty or duplicate ids and empty questions, by row.</summary>
    public static void ValidateItems(IReadOnlyList<SplitterItem> items)
    {
        var problems = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var row = 0; row < items.Count; row++)
        {
            var item = items[row];
            if (string.IsNullOrWhiteSpace(item.Id)) problems.Add($"row {row}: empty id");
            else if (!seen.TryAdd(item.Id, row)) problems.Add($"row {row}: id \"{item.Id}\" repeats row {seen[item.Id]}");
            if (string.IsNullOrWhiteSpace(item.Question)) problems.Add($"row {row}: empty question");
        }
        if (problems.Count > 0)
            throw new BadInputException("the questions to label are invalid (every question needs a unique id and text):\n  "
                                        + string.Join("\n  ", problems.Take(20)) + (problems.Count > 20 ? $"\n  … {problems.Count - 20} more" : ""));
    }

    private async Task<(IReadOnlyList<ItemLabel>, IReadOnlyList<TeacherFailure>)> VoteAsync(
        IReadOnlyList<SplitterItem> items, SplitRequest request, CancellationToken cancellationToken)
    {
        var teachers = TeacherFactory.CreateAll(config, environment);
        try
        {
            using var cache = VoteCache.Open(request.CachePath);
            if (cache.DroppedLines > 0)
                _logger.LogWarning("vote cache {Path}: dropped {Count} torn or corrupt line(s)", cache.FilePath, cache.DroppedLines);
            var seats = teachers.Select(t => new TeacherSeat(t, config.Resilience.MaxConsecutiveFailures)).ToArray();
            var votes = await AskAllAsync(items, seats, cache, request.Progress, cancellationToken).ConfigureAwait(false);
            var failures = seats.Select(s => s.Failure).OfType<TeacherFailure>().ToList();
            if (failures.Count == seats.Length)
                throw new JobFailedException("every teacher failed, so no question could be labelled:\n  "
                                             + string.Join("\n  ", failures.Select(f => f.Describe())));
            var labels = Aggregate(items, votes);
            AbstentionGuard.Check(labels, config);
            return (labels, failures);
        }
        finally
        {
            foreach (var teacher in teachers) teacher.Dispose();
        }
    }

    private async Task<TeacherVote[][]> AskAllAsync(
        IReadOnlyList<SplitterItem> items, TeacherSeat[] seats, VoteCache cache, IProgress<SplitProgress>? progress,
        CancellationToken cancellationToken)
    {
        var votes = items.Select(_ => new TeacherVote[seats.Length]).ToArray();
        var tracker = new ProgressTracker(items.Count * seats.Length, progress);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var asks = Enumerable.Range(0, items.Count).SelectMany(i => Enumerable.Range(0, seats.Length).Select(t => (Item: i, Seat: t)));
        var options = new ParallelOptions { MaxDegreeOfParallelism = config.Resilience.MaxConcurrency, CancellationToken = stop.Token };
        try
        {
            await Parallel.ForEachAsync(asks, options, async (ask, token) =>
                votes[ask.Item][ask.Seat] = await AskAsync(seats[ask.Seat], items[ask.Item], cache, tracker, stop, token)
                    .ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Only a teacher going down under the stop policy cancels the run from inside; that is reported below.
        }
        var stopped = config.OnTeacherFailure == TeacherFailurePolicy.Stop
            ? seats.Select(s => s.Failure).OfType<TeacherFailure>().ToList() : [];
        if (stopped.Count > 0)
            throw new JobFailedException(string.Join("\n", stopped.Select(f => f.Describe()))
                                         + "\nThe run stopped (on_teacher_failure = \"stop\"); answers received so far are cached. " +
                                         "Check that the server is up and the model name is right, or set on_teacher_failure = \"continue\".");
        cancellationToken.ThrowIfCancellationRequested();
        return votes;
    }

    private async Task<TeacherVote> AskAsync(
        TeacherSeat seat, SplitterItem item, VoteCache cache, ProgressTracker tracker, CancellationTokenSource stop, CancellationToken token)
    {
        var teacher = seat.Teacher;
        var (name, kind) = (teacher.Config.Name, teacher.Config.Kind);
        if (seat.IsDown)
        {
            tracker.Failed();
            return new TeacherVote(name, kind, Vote.Abstain, AnswerStatus.Skipped, null, "not asked: the teacher was taken out of the run", Open: true);
        }
        var key = teacher.IsCached ? VoteCacheKey.For(teacher, item) : default;
        var asks = 0;
        if (teacher.IsCached && cache.TryGet(key, out var cached))
        {
            if (cached.IsFinal(Reasks(teacher, cached.Status)))
            {
                tracker.Cached();
                return FromAsk(name, kind, cached, open: false);
            }
            asks = cached.Asks; // an abstention with re-asks left: ask again
        }
        CachedAsk result;
        try
        {
            result = CachedAsk.Of(await teacher.AskAsync(item, token).ConfigureAwait(false), asks + 1);
            seat.RecordSuccess();
            tracker.Asked();
        }
        catch (Exception e) when (!(e is OperationCanceledException && token.IsCancellationRequested))
        {
            var error = TransientFaults.Describe(e);
            _logger.LogWarning("teacher {Teacher} ({Location}) could not answer question {Id}: {Error}",
                name, teacher.Config.Location, item.Id, error);
            if (seat.RecordFailure(error)) TakeOut(seat, stop);
            tracker.Failed();
            result = new CachedAsk("", Vote.Abstain, AnswerStatus.Failed, asks + 1, error);
        }
        if (teacher.IsCached) cache.Add(key, result);
        return FromAsk(name, kind, result, open: teacher.IsCached && !result.IsFinal(Reasks(teacher, result.Status)));
    }

    /// <summary>
    /// How often an abstention of <paramref name="status"/> is asked again: failed asks always within max_reasks; unparseable
    /// replies only of an openai teacher (a local teacher's log-likelihoods come out the same every time).
    /// </summary>
    private int Reasks(ITeacher teacher, AnswerStatus status) =>
        status == AnswerStatus.Unparseable && teacher.Config.Kind != TeacherKind.Openai ? 0 : config.Resilience.MaxReasks;

    private void TakeOut(TeacherSeat seat, CancellationTokenSource stop)
    {
        var failure = seat.Failure!;
        _logger.LogError("{Failure}; {Action}", failure.Describe(), config.OnTeacherFailure == TeacherFailurePolicy.Stop
            ? "stopping the run" : "continuing without it");
        if (config.OnTeacherFailure == TeacherFailurePolicy.Stop) stop.Cancel();
    }

    private static TeacherVote FromAsk(string name, TeacherKind kind, CachedAsk ask, bool open) =>
        new(name, kind, ask.Vote, ask.Status, ask.Status == AnswerStatus.Failed ? null : ask.Raw, ask.Error, open);

    private List<ItemLabel> Aggregate(IReadOnlyList<SplitterItem> items, TeacherVote[][] votes)
    {
        var weights = config.Teachers.Select(t => t.Weight).ToArray();
        return items.Select((item, i) =>
        {
            var decision = MajorityVote.Decide(votes[i].Select(v => v.Vote).ToList(), weights, config.TieBreak, config.Seed, item.Id);
            return new ItemLabel(item.Id, decision.Label, decision.DecidedBy, decision.System1Weight, decision.System2Weight, votes[i]);
        }).ToList();
    }
}

using System.Globalization;
using LoraPar.Core;

namespace LoraPar.Method.Splitter;

/// <summary>
/// Refuses labels that rest on abstentions instead of votes (throws <see cref="JobFailedException"/>, so nothing is written):
/// a teacher whose replies name no system more often than <see cref="TeacherResilience.MaxUnparseableShare"/>; fewer questions
/// with at least one real vote than <see cref="TeacherResilience.MinVotedShare"/> (under either failure policy); and, under
/// <see cref="TeacherFailurePolicy.Stop"/>, any abstention a later run would still ask again (<see cref="TeacherVote.Open"/>).
/// </summary>
public static class AbstentionGuard
{
    /// <summary>Characters of a reply quoted in an error.</summary>
    public const int QuoteLength = 80;

    /// <summary>Checks <paramref name="labels"/> (votes in teacher order) against <paramref name="config"/>'s limits.</summary>
    public static void Check(IReadOnlyList<ItemLabel> labels, SplitterConfig config)
    {
        var limits = config.Resilience;
        var silent = SilentTeachers(labels, limits.MaxUnparseableShare).ToList();
        if (silent.Count > 0) throw new JobFailedException(string.Join("\n", silent));
        var unvoted = labels.Count(l => l.Votes.All(v => v.Vote == Vote.Abstain));
        if (labels.Count > 0 && labels.Count - unvoted < limits.MinVotedShare * labels.Count - 1e-9)
            throw new JobFailedException((
                $"{unvoted} of {labels.Count} questions have no real vote (every teacher abstained, failed or was out of the run); "
                + $"splitter.resilience.min_voted_share = {F(limits.MinVotedShare)} needs a vote on {Percent(limits.MinVotedShare)} of them. "
                + "The answers received are cached: run again to ask the failed ones again."));
        var open = labels.SelectMany(l => l.Votes).Where(v => v.Open).ToList();
        if (config.OnTeacherFailure == TeacherFailurePolicy.Stop && open.Count > 0)
            throw new JobFailedException((
                $"{open.Count} ask{(open.Count == 1 ? "" : "s")} got no answer naming a system ({Describe(open)}); the answers received are cached: run again to "
                + $"ask these again (each at most {1 + limits.MaxReasks} times in all, splitter.resilience.max_reasks = {limits.MaxReasks}), "
                + "or set on_teacher_failure = \"continue\" to label with the votes there are."));
    }

    /// <summary>One error line per teacher whose unparseable replies exceed <paramref name="maxShare"/> of its replies.</summary>
    public static IEnumerable<string> SilentTeachers(IReadOnlyList<ItemLabel> labels, double maxShare)
    {
        var teachers = labels.Count == 0 ? 0 : labels[0].Votes.Count;
        for (var t = 0; t < teachers; t++)
        {
            var replies = labels.Select(l => l.Votes[t]).Where(v => v.Status is AnswerStatus.Answered or AnswerStatus.Unparseable).ToList();
            var unparseable = replies.Where(v => v.Status == AnswerStatus.Unparseable).ToList();
            if (replies.Count == 0 || unparseable.Count <= maxShare * replies.Count + 1e-9) continue;
            yield return (
                $"teacher \"{unparseable[0].Teacher}\" named no system in {unparseable.Count} of {replies.Count} replies "
                + $"({Percent((double)unparseable.Count / replies.Count)}; splitter.resilience.max_unparseable_share = {F(maxShare)}), "
                + $"e.g. \"{Quote(unparseable[0].Raw)}\"; check its model, prompt and max_tokens (a reasoning model needs room to answer)");
        }
    }

    /// <summary><paramref name="reply"/> on one line, cut to <see cref="QuoteLength"/> characters.</summary>
    public static string Quote(string? reply)
    {
        var line = string.Join(' ', (reply ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= QuoteLength ? line : line[..(QuoteLength - 1)] + "…";
    }

    private static string Describe(IEnumerable<TeacherVote> open) => string.Join("; ", open.GroupBy(v => v.Teacher).Select(g =>
        g.Key + ": " + string.Join(", ", g.GroupBy(v => v.Status).Select(s => $"{s.Count()} {Word(s.Key)}"))));

    private static string Word(AnswerStatus status) => status switch
    {
        AnswerStatus.Failed => "failed",
        AnswerStatus.Unparseable => "unparseable",
        _ => "not asked",
    };

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Percent(double share) => (100 * share).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}

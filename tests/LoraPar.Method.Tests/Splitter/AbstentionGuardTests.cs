using LoraPar.Core;
using LoraPar.Method.Splitter;
using LoraPar.TestSupport;
using Microsoft.AspNetCore.Http;

namespace LoraPar.Method.Tests.Splitter;

/// <summary>Teachers that fail loudly: abstentions are asked again on later runs (bounded) and labels without real votes are refused.</summary>
public sealed class AbstentionGuardTests
{
    private readonly CapturingLoggerProvider _logs = new();

    private async Task<SplitResult> Run(SplitterConfig config, TempFolder dir, int items = 6) =>
        await new SampleSplitter(config, SplitterSetup.Environment("sk-guard", _logs.CreateFactory()))
            .RunAsync(SplitterSetup.Items(items), new SplitRequest(dir.Combine("out"), dir.Combine("votes.jsonl")));

    private static SplitterConfig TwoTeachers(Uri url, TeacherFailurePolicy policy = TeacherFailurePolicy.Stop) => new()
    {
        Teachers = [SplitterSetup.OpenAi("alpha", url, "alpha"), SplitterSetup.OpenAi("beta", url, "beta")],
        Resilience = SplitterSetup.FastResilience(concurrency: 1, retries: 0) with { MaxConsecutiveFailures = 100 },
        OnTeacherFailure = policy,
    };

    private static Task<IResult> Reply(string text, ChatCall c) => Task.FromResult(FakeChatServer.Completion(text, c.Model));

    [Fact]
    public async Task A_teacher_that_never_names_a_system_is_an_error_naming_it_and_quoting_a_reply()
    {
        await using var server = await FakeChatServer.StartAsync((c, _) =>
            Reply(c.Model == "beta" ? "The answer is 42.\nIt always is, whatever the question." : SplitterSetup.HonestAnswer(c.User), c));
        using var dir = SplitterSetup.TempFolder();

        var e = await Assert.ThrowsAsync<JobFailedException>(() => Run(TwoTeachers(server.BaseUrl, TeacherFailurePolicy.Continue), dir));

        Assert.Equal("teacher \"beta\" named no system in 6 of 6 replies (100%; splitter.resilience.max_unparseable_share = 0.2), "
                     + "e.g. \"The answer is 42. It always is, whatever the question.\"; check its model, prompt and max_tokens "
                     + "(a reasoning model needs room to answer)", e.Message);
        Assert.False(File.Exists(dir.Combine("out", LabelsWriter.LabelsFileName)));
    }

    [Fact]
    public void Quotes_are_one_line_and_shortened()
    {
        Assert.Equal(AbstentionGuard.QuoteLength, AbstentionGuard.Quote(new string('x', 500)).Length);
        Assert.EndsWith("…", AbstentionGuard.Quote(new string('x', 500)));
        Assert.Equal("a b c", AbstentionGuard.Quote(" a\n\tb  c "));
    }

    [Fact]
    public async Task Continue_is_refused_when_a_question_has_no_real_vote_and_the_rerun_asks_exactly_the_failed_ones()
    {
        var healed = false;
        await using var server = await FakeChatServer.StartAsync((c, _) =>
            !healed && (c.Model == "beta" || c.User.Contains("[hard]")) ? Task.FromResult(FakeChatServer.Error(500)) : Reply(SplitterSetup.HonestAnswer(c.User), c));
        using var dir = SplitterSetup.TempFolder();
        var config = TwoTeachers(server.BaseUrl, TeacherFailurePolicy.Continue);

        var e = await Assert.ThrowsAsync<JobFailedException>(() => Run(config, dir));
        Assert.StartsWith("3 of 6 questions have no real vote (every teacher abstained, failed or was out of the run); "
                          + "splitter.resilience.min_voted_share = 1 needs a vote on 100% of them.", e.Message);
        var failed = server.Calls.Where(c => c.Model == "beta" || c.User.Contains("[hard]")).Select(c => (c.Model, c.User)).ToHashSet();
        Assert.Equal(3 + 6, failed.Count);

        healed = true;
        var before = server.Calls.Count;
        var result = await Run(config, dir);

        Assert.Equal(failed, server.Calls.Skip(before).Select(c => (c.Model, c.User)).ToHashSet());
        Assert.Equal(9, server.Calls.Count - before);
        Assert.Equal(0, result.Statistics.Abstentions.Total);
        Assert.Equal(["q1", "q3", "q5"], result.System2Ids);
    }

    [Fact]
    public async Task A_share_of_voted_questions_below_one_lets_continue_commit_with_the_open_asks_marked()
    {
        await using var server = await FakeChatServer.StartAsync((c, _) =>
            c.User.Contains("Question 1 ") ? Task.FromResult(FakeChatServer.Error(500)) : Reply(SplitterSetup.HonestAnswer(c.User), c));
        using var dir = SplitterSetup.TempFolder();
        var config = TwoTeachers(server.BaseUrl, TeacherFailurePolicy.Continue);

        var result = await Run(config with { Resilience = config.Resilience with { MinVotedShare = 0.8 } }, dir);

        Assert.Equal(LabelDecision.TieBreak, result.Labels[1].DecidedBy);
        Assert.All(result.Labels[1].Votes, v => Assert.True(v.Open));
        Assert.Equal([1, 1], result.Statistics.Teachers.Select(t => t.Open));
        Assert.Contains("\"open\":true", File.ReadAllLines(result.LabelsPath)[1]);
    }

    [Fact]
    public async Task Under_stop_an_open_abstention_fails_the_run_until_its_re_asks_are_spent_and_answers_are_never_asked_again()
    {
        await using var server = await FakeChatServer.StartAsync((c, _) => c.Model == "alpha" && c.User.Contains("Question 2 ")
            ? Task.FromResult(FakeChatServer.Error(503))
            : Reply(c.Model == "beta" && c.User.Contains("Question 4 ") && c.Attempt == 1 ? "Hmm." : SplitterSetup.HonestAnswer(c.User), c));
        using var dir = SplitterSetup.TempFolder();
        var config = TwoTeachers(server.BaseUrl);

        var first = await Assert.ThrowsAsync<JobFailedException>(() => Run(config, dir));
        Assert.StartsWith("2 asks got no answer naming a system (alpha: 1 failed; beta: 1 unparseable); the answers received are cached: "
                          + "run again to ask these again (each at most 3 times in all, splitter.resilience.max_reasks = 2)", first.Message);
        var second = await Assert.ThrowsAsync<JobFailedException>(() => Run(config, dir)); // beta now answers; alpha fails again
        Assert.StartsWith("1 ask got no answer naming a system (alpha: 1 failed)", second.Message);
        var result = await Run(config, dir);                                                 // alpha's third ask: final
        await Run(config, dir);

        Assert.Equal(3, server.Calls.Count(c => c.Model == "alpha" && c.User.Contains("Question 2 ")));
        Assert.Equal(2, server.Calls.Count(c => c.Model == "beta" && c.User.Contains("Question 4 ")));
        Assert.Equal(6 + 2 + 6 + 1, server.Calls.Count); // every other question asked once per teacher
        Assert.Equal(new AbstentionCounts(1, 0, 1, 0), result.Statistics.Abstentions);
        Assert.False(result.Labels[2].Votes[0].Open);
    }
}

using LoraPar.TestSupport;
using LoraPar.Core;
using LoraPar.Method.Splitter;
using Microsoft.AspNetCore.Http;

namespace LoraPar.Method.Tests.Splitter;

public sealed class SplitterResilienceTests
{
    private const string Secret = "sk-lorapar-resilience-9f8e7d6c5b4a";
    private readonly CapturingLoggerProvider _logs = new();

    private sealed class CancelAfter(int done, CancellationTokenSource cts) : IProgress<SplitProgress>
    {
        public void Report(SplitProgress value)
        {
            if (value.Done == done) cts.Cancel();
        }
    }

    private sealed class Last : IProgress<SplitProgress>
    {
        public SplitProgress Value { get; private set; }

        public void Report(SplitProgress value) => Value = value;
    }

    private SampleSplitter Splitter(SplitterConfig config) => new(config, SplitterSetup.Environment(Secret, _logs.CreateFactory()));

    private static SplitterConfig TwoTeachers(
        Uri url, TeacherFailurePolicy policy = TeacherFailurePolicy.Stop, int concurrency = 1, double timeoutSeconds = 10) => new()
    {
        Teachers = [SplitterSetup.OpenAi("alpha", url, "alpha"), SplitterSetup.OpenAi("beta", url, "beta", temperature: 0.5)],
        Resilience = SplitterSetup.FastResilience(concurrency, timeoutSeconds, retries: 1),
        OnTeacherFailure = policy,
    };

    /// <summary>Both teachers answer honestly.</summary>
    private static Task<IResult> Answers(ChatCall c, CancellationToken _) =>
        Task.FromResult(FakeChatServer.Completion(SplitterSetup.HonestAnswer(c.User), c.Model));

    [Fact]
    public async Task Cancelling_mid_run_and_running_again_asks_no_question_twice()
    {
        await using var server = await FakeChatServer.StartAsync(Answers);
        using var dir = SplitterSetup.TempFolder();
        var items = SplitterSetup.Items(10);
        var request = new SplitRequest(dir.Combine("out"), dir.Combine("cache", "votes.jsonl"));
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Splitter(TwoTeachers(server.BaseUrl)).RunAsync(items, request with { Progress = new CancelAfter(7, cts) }, cts.Token));
        Assert.Equal(7, server.Calls.Count);
        Assert.False(File.Exists(dir.Combine("out", LabelsWriter.LabelsFileName)));

        var last = new Last();
        var result = await Splitter(TwoTeachers(server.BaseUrl)).RunAsync(items, request with { Progress = last });

        Assert.Equal(20, server.Calls.Count);
        Assert.All(server.Calls, c => Assert.Equal(1, c.Attempt)); // every (model, question) asked exactly once over both runs
        Assert.Equal(new SplitProgress(20, 20, 7, 0), last.Value);
        Assert.Equal(0, result.Statistics.Abstentions.Total);
    }

    [Fact]
    public async Task A_crash_that_tears_the_last_cache_line_only_costs_that_one_answer()
    {
        await using var server = await FakeChatServer.StartAsync(Answers);
        using var dir = SplitterSetup.TempFolder();
        var request = new SplitRequest(dir.Combine("out"), dir.Combine("votes.jsonl"));
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Splitter(TwoTeachers(server.BaseUrl)).RunAsync(SplitterSetup.Items(4), request with { Progress = new CancelAfter(4, cts) }, cts.Token));
        var cache = dir.Combine("votes.jsonl");
        var text = File.ReadAllText(cache);
        File.WriteAllText(cache, text[..^25]); // as if killed while writing the fourth answer

        await Splitter(TwoTeachers(server.BaseUrl)).RunAsync(SplitterSetup.Items(4), request);

        Assert.Equal(8 + 1, server.Calls.Count);
        Assert.Single(server.Calls, c => c.Attempt == 2);
    }

    [Fact]
    public async Task A_teacher_that_keeps_failing_stops_the_run_naming_itself_its_url_and_last_error()
    {
        await using var server = await FakeChatServer.StartAsync((c, ct) =>
            c.Model == "beta" ? Task.FromResult(FakeChatServer.Error(502)) : Answers(c, ct));
        using var dir = SplitterSetup.TempFolder();

        var e = await Assert.ThrowsAsync<JobFailedException>(() => Splitter(TwoTeachers(server.BaseUrl))
            .RunAsync(SplitterSetup.Items(10), new SplitRequest(dir.Combine("out"), dir.Combine("votes.jsonl"))));

        Assert.Contains("teacher \"beta\"", e.Message);
        Assert.Contains(server.BaseUrl.ToString(), e.Message);
        Assert.Contains("HTTP 502", e.Message);
        Assert.Contains("failed 3 questions in a row", e.Message);
        Assert.Equal(3 * 2, server.Calls.Count(c => c.Model == "beta")); // 3 questions × (1 try + 1 retry), then stop
        Assert.False(File.Exists(dir.Combine("out", LabelsWriter.LabelsFileName)));
        Assert.DoesNotContain(Secret, e.Message);
    }

    [Fact]
    public async Task Under_the_continue_policy_the_others_label_and_the_failure_is_reported()
    {
        await using var server = await FakeChatServer.StartAsync((c, ct) =>
            c.Model == "beta" ? Task.FromResult(FakeChatServer.Error(500)) : Answers(c, ct));
        using var dir = SplitterSetup.TempFolder();

        var result = await Splitter(TwoTeachers(server.BaseUrl, TeacherFailurePolicy.Continue))
            .RunAsync(SplitterSetup.Items(10), new SplitRequest(dir.Combine("out"), dir.Combine("votes.jsonl")));

        Assert.Equal(["q0", "q2", "q4", "q6", "q8"], result.System1Ids);
        var failure = Assert.Single(result.Statistics.FailedTeachers);
        Assert.Equal(("beta", server.BaseUrl.ToString()), (failure.Teacher, failure.Location));
        Assert.StartsWith("HTTP 500", failure.LastError);
        Assert.Equal(new AbstentionCounts(10, 0, 3, 7), result.Statistics.Abstentions);
        Assert.Equal(10, result.Statistics.Teachers[1].Open); // asked (again) when the labels are computed next
        Assert.All(result.Labels, l => Assert.True(l.Votes[1].Open));
        Assert.Contains(_logs.Lines, l => l.Contains("continuing without it"));
        Assert.Contains("\"failed_teachers\"", File.ReadAllText(result.StatisticsPath));
    }

    [Fact]
    public async Task Every_teacher_failing_is_a_job_failure_even_under_continue()
    {
        await using var server = await FakeChatServer.StartAsync((_, _) => Task.FromResult(FakeChatServer.Error(503)));
        using var dir = SplitterSetup.TempFolder();

        var e = await Assert.ThrowsAsync<JobFailedException>(() => Splitter(TwoTeachers(server.BaseUrl, TeacherFailurePolicy.Continue))
            .RunAsync(SplitterSetup.Items(6), new SplitRequest(dir.Combine("out"), dir.Combine("votes.jsonl"))));

        Assert.Contains("every teacher failed", e.Message);
        Assert.Contains("\"alpha\"", e.Message);
        Assert.Contains("\"beta\"", e.Message);
    }

    [Fact]
    public async Task Hangs_and_malformed_bodies_that_persist_become_failed_abstentions_and_are_asked_again_next_run()
    {
        await using var server = await FakeChatServer.StartAsync(async (c, aborted) =>
        {
            if (c.Model == "alpha" && c.User.Contains("Question 1 ")) return FakeChatServer.Malformed();
            if (c.Model == "alpha" && c.User.Contains("Question 2 "))
                await Task.Delay(TimeSpan.FromSeconds(20), aborted).ContinueWith(_ => { });
            return await Answers(c, aborted);
        });
        using var dir = SplitterSetup.TempFolder();
        // 2 s, not 1: under CI load a request to loopback once took longer than 1 s to reach the server, and went uncounted.
        var config = TwoTeachers(server.BaseUrl, TeacherFailurePolicy.Continue, concurrency: 4, timeoutSeconds: 2);
        var request = new SplitRequest(dir.Combine("out"), dir.Combine("votes.jsonl"));

        var result = await Splitter(config).RunAsync(SplitterSetup.Items(4), request);

        var malformed = result.Labels[1].Votes[0];
        Assert.Equal((Vote.Abstain, AnswerStatus.Failed), (malformed.Vote, malformed.Status));
        Assert.Contains("MalformedResponseException", malformed.Error);
        var hung = result.Labels[2].Votes[0];
        Assert.Equal((Vote.Abstain, AnswerStatus.Failed), (hung.Vote, hung.Status));
        Assert.Contains("timed out", hung.Error);
        Assert.Equal(ReasoningSystem.System1, result.Labels[2].Label); // beta's vote alone decides
        Assert.Equal(2 + 2 + 1 + 1, server.Calls.Count(c => c.Model == "alpha")); // the two failing questions: 1 try + 1 retry each

        var firstRun = server.Calls.Count;
        await Splitter(config).RunAsync(SplitterSetup.Items(4), request);
        var secondRun = server.Calls.Skip(firstRun).ToArray();
        Assert.All(new[] { "Question 1 ", "Question 2 " }, q => Assert.Contains(secondRun, c => c.Model == "alpha" && c.User.Contains(q))); // failures are not final: asked again
        Assert.DoesNotContain(secondRun, c => c.Model == "beta" || c.User.Contains("Question 0 ") || c.User.Contains("Question 3 "));  // answers are: cached
    }

    [Fact]
    public async Task The_api_key_reaches_the_server_but_no_file_and_no_log()
    {
        await using var server = await FakeChatServer.StartAsync((c, ct) => c.Attempt == 1 && c.User.Contains("Question 1 ")
            ? Task.FromResult(FakeChatServer.Error(429, ("Retry-After", "0")))
            : c.Model == "beta" ? Task.FromResult(FakeChatServer.Error(401)) : Answers(c, ct));
        using var dir = SplitterSetup.TempFolder();

        var environment = SplitterSetup.Environment(Secret, _logs.CreateFactory()) with { LogHttpTraffic = true };

        await new SampleSplitter(TwoTeachers(server.BaseUrl, TeacherFailurePolicy.Continue), environment)
            .RunAsync(SplitterSetup.Items(6), new SplitRequest(dir.Combine("artifacts", "labels"), dir.Combine("artifacts", "cache", "votes.jsonl")));

        Assert.All(server.Calls, c => Assert.Equal($"Bearer {Secret}", c.Authorization));
        var files = dir.AllFiles().ToList();
        Assert.Equal(3, files.Count);
        Assert.All(files, f => Assert.DoesNotContain(Secret, f.Text));
        Assert.NotEmpty(_logs.Lines);
        Assert.Contains(_logs.Lines, l => l.Contains("retrying"));
        Assert.Contains(_logs.Lines, l => l.Contains("MessageLoggingPolicy") && l.Contains("Authorization"));
        Assert.All(_logs.Lines, l => Assert.DoesNotContain(Secret, l));
        Assert.All(_logs.Lines, l => Assert.DoesNotContain(Secret[..12], l));
    }
}

using LoraPar.TestSupport;
using System.Text.Json;
using LoraPar.Method.Splitter;
using LoraPar.Model.Generation;
using Snapshooter.Xunit;

namespace LoraPar.Method.Tests.Splitter;

public sealed class SampleSplitterTests
{
    private const string Secret = "sk-lorapar-splitter-test-key";
    private readonly CapturingLoggerProvider _logs = new();

    private sealed class Recorder : IProgress<SplitProgress>
    {
        public List<SplitProgress> Reports { get; } = [];

        public void Report(SplitProgress value) => Reports.Add(value);
    }

    /// <summary>alpha answers honestly in markdown, beta honestly in a sentence, gamma always says System 2.</summary>
    private static Task<Microsoft.AspNetCore.Http.IResult> ThreeVoices(ChatCall c, CancellationToken _) => Task.FromResult(FakeChatServer.Completion(
        c.Model switch
        {
            "alpha" => $"**{SplitterSetup.HonestAnswer(c.User)}**",
            "beta" => $"I think {SplitterSetup.HonestAnswer(c.User)}.",
            _ => "system-2",
        }, c.Model));

    private SplitterConfig ThreeTeachers(Uri url) => new()
    {
        TargetModel = "LLaMA-2-7B",
        Teachers = [SplitterSetup.OpenAi("alpha", url, "alpha"), SplitterSetup.OpenAi("beta", url, "beta"), SplitterSetup.OpenAi("gamma", url, "gamma")],
        Resilience = SplitterSetup.FastResilience(),
    };

    [Fact]
    public async Task Three_teachers_vote_and_both_files_are_written()
    {
        await using var server = await FakeChatServer.StartAsync(ThreeVoices);
        using var dir = SplitterSetup.TempFolder();
        var splitter = new SampleSplitter(ThreeTeachers(server.BaseUrl), SplitterSetup.Environment(Secret, _logs.CreateFactory()));

        var result = await splitter.RunAsync(SplitterSetup.Items(6), new SplitRequest(dir.Combine("out"), dir.Combine("cache", "votes.jsonl")));

        Assert.Equal(["q0", "q2", "q4"], result.System1Ids);
        Assert.Equal(["q1", "q3", "q5"], result.System2Ids);
        Assert.Equal(18, server.Calls.Count);
        var lines = File.ReadAllLines(result.LabelsPath);
        Assert.Equal(6, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("q0", first.RootElement.GetProperty("id").GetString());
        Assert.Equal("system1", first.RootElement.GetProperty("label").GetString());
        Assert.Equal("majority", first.RootElement.GetProperty("decided_by").GetString());
        var votes = first.RootElement.GetProperty("votes").EnumerateArray().ToList();
        Assert.Equal(["**System 1**", "I think System 1.", "system-2"], votes.Select(v => v.GetProperty("raw").GetString()));
        Assert.Equal(["system1", "system1", "system2"], votes.Select(v => v.GetProperty("vote").GetString()));
        Assert.All(votes, v => Assert.Equal("openai", v.GetProperty("kind").GetString()));
        Assert.Equal(JsonSerializer.Serialize(result.Labels, SplitterJson.Options),
            JsonSerializer.Serialize(LabelsWriter.ReadLabels(result.LabelsPath), SplitterJson.Options));
    }

    [Fact]
    public async Task Labels_json_holds_balance_rates_agreement_and_kappa()
    {
        await using var server = await FakeChatServer.StartAsync(ThreeVoices);
        using var dir = SplitterSetup.TempFolder();
        var splitter = new SampleSplitter(ThreeTeachers(server.BaseUrl), SplitterSetup.Environment(Secret, _logs.CreateFactory()));

        var result = await splitter.RunAsync(SplitterSetup.Items(6), new SplitRequest(dir.Combine("out"), dir.Combine("votes.jsonl")));

        using var stats = JsonDocument.Parse(File.ReadAllText(result.StatisticsPath));
        var root = stats.RootElement;
        Assert.Equal("role_play_vote", root.GetProperty("method").GetString());
        Assert.Equal(0.5, root.GetProperty("label_balance").GetProperty("system1").GetProperty("fraction").GetDouble());
        Assert.Equal(1.0, root.GetProperty("teachers")[2].GetProperty("system2_rate").GetDouble());
        Assert.Equal(0.5, root.GetProperty("pairwise_agreement")[1].GetProperty("agreement").GetDouble()); // alpha–gamma
        // Items (S1,S2): three (2,1) and three (0,3): P̄ = (3·1/3 + 3·1)/6 = 2/3; p = (1/3, 2/3), P̄e = 5/9; κ = (1/9)/(4/9) = 0.25.
        Assert.Equal(0.25, root.GetProperty("fleiss_kappa").GetDouble());
        Assert.Equal(0, root.GetProperty("abstentions").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Random_labelling_asks_no_teacher()
    {
        await using var server = await FakeChatServer.StartAsync(ThreeVoices);
        using var dir = SplitterSetup.TempFolder();
        var config = ThreeTeachers(server.BaseUrl) with { Method = SplitterMethod.Random, Seed = 3 };

        var result = await new SampleSplitter(config, SplitterSetup.Environment(Secret, _logs.CreateFactory()))
            .RunAsync(SplitterSetup.Items(10), new SplitRequest(dir.Combine("out"), dir.Combine("votes.jsonl")));

        Assert.Empty(server.Calls);
        Assert.Equal(5, result.System2Ids.Count);
        Assert.Equal(SplitterMethod.Random, result.Statistics.Method);
        Assert.Empty(result.Statistics.Teachers);
        Assert.False(File.Exists(dir.Combine("votes.jsonl")));
    }

    [Fact]
    public async Task Heuristic_and_local_teachers_need_no_server_and_match_the_snapshot()
    {
        using var dir = SplitterSetup.TempFolder();
        var scorer = new ScriptedScorer(r => r.Context.Contains("[hard]") == (r.Continuation == " System 2") ? -1.0 : -3.0);
        var undecided = new ScriptedScorer(r => r.Context.Contains("eight") ? -2.0 : r.Context.Contains("[hard]") == (r.Continuation == " System 2") ? -1.0 : -3.0);
        var config = new SplitterConfig
        {
            Teachers =
            [
                new LocalTeacherConfig("tiny", "tiny.safetensors"),
                new HeuristicTeacherConfig("rules") { QuestionWordThreshold = 9, RequiredSignals = 1 },
                new LocalTeacherConfig("tiny-again", "tiny2.safetensors") { Weight = 0.5 },
            ],
            TieBreak = TieBreakRule.FirstTeacher,
        };
        // "long" (9 words, [easy]): tiny says System 1, the rule says System 2, tiny-again abstains (equal scores) → 1 : 1 tie.
        var environment = new TeacherEnvironment { LocalScorers = c => c.Checkpoint == "tiny2.safetensors" ? undecided : scorer };
        var items = SplitterSetup.Items(4).Append(new SplitterItem("long", "one two three four five six seven eight [easy]")).ToList();

        var result = await new SampleSplitter(config, environment).RunAsync(items, new SplitRequest(dir.Combine("out"), dir.Combine("votes.jsonl")));

        Assert.Equal(["q0", "q2", "long"], result.System1Ids);
        Assert.Equal(new DecisionCounts(4, 1, 0), result.Statistics.DecidedBy);
        Assert.Equal(AnswerStatus.Unparseable, result.Labels[4].Votes[2].Status);
        Assert.Contains("[heuristic]", result.Labels[0].Votes[1].Raw);
        Snapshot.Match(File.ReadAllText(result.StatisticsPath) + File.ReadAllText(result.LabelsPath));
    }

    [Fact]
    public async Task Progress_counts_done_cached_and_failed()
    {
        await using var server = await FakeChatServer.StartAsync((c, _) => Task.FromResult(c.User.Contains("Question 3 ")
            ? FakeChatServer.Error(400) : FakeChatServer.Completion(SplitterSetup.HonestAnswer(c.User), c.Model)));
        using var dir = SplitterSetup.TempFolder();
        var config = ThreeTeachers(server.BaseUrl) with
        {
            Teachers = [SplitterSetup.OpenAi("alpha", server.BaseUrl, "alpha")],
            OnTeacherFailure = TeacherFailurePolicy.Continue,
            Resilience = SplitterSetup.FastResilience() with { MinVotedShare = 0.8 },
        };
        var splitter = new SampleSplitter(config, SplitterSetup.Environment(Secret, _logs.CreateFactory()));
        var first = new Recorder();
        var second = new Recorder();

        await splitter.RunAsync(SplitterSetup.Items(5), new SplitRequest(dir.Combine("a"), dir.Combine("votes.jsonl")) { Progress = first });
        await splitter.RunAsync(SplitterSetup.Items(5), new SplitRequest(dir.Combine("b"), dir.Combine("votes.jsonl")) { Progress = second });

        Assert.Equal(Enumerable.Range(1, 5), first.Reports.Select(r => r.Done));
        Assert.Equal(new SplitProgress(5, 5, 0, 1), first.Reports[^1]);
        Assert.Equal(new SplitProgress(5, 5, 4, 1), second.Reports[^1]); // failures are not final: asked again
        Assert.Equal(5 + 1, server.Calls.Count);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using LoraPar.Core;
using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Labels;

namespace LoraPar.Pipeline.Tests.Stages.Labels;

public sealed class LabelsStageTests
{
    private const string Synthetic = "seed = 7\n[data]\nsynthetic_train_size = 15\nsynthetic_eval_size = 2\n";

    private const string HeuristicAndLocal = Synthetic + """
        [splitter]
        method = "role-play-vote"
        tie_break = "first-teacher"
        [[splitter.teachers]]
        kind = "heuristic"
        [[splitter.teachers]]
        kind = "local"
        name = "tiny"
        checkpoint = "teacher/model.bin"
        weight = 2.0

        """;

    private static StageHarness WithLocal(CountingScorer scorer, string manifest = HeuristicAndLocal)
    {
        var h = new StageHarness(manifest, new DataStage(), new LabelsStage(_ => scorer));
        h.Ws.Write("teacher/model.bin", "weights");
        return h;
    }

    [Fact]
    public void The_heuristic_panel_labels_the_synthetic_task_and_reports_agreement_with_its_ground_truth()
    {
        using var h = new StageHarness(Synthetic + "[splitter]\nmethod = \"heuristic\"\n", new DataStage(), new LabelsStage());
        h.Run();
        var dir = h.Artifact("labels");
        var labels = LabelsWriter.ReadLabels(Path.Combine(dir, LabelsWriter.LabelsFileName));
        Assert.Equal(30, labels.Count);
        Assert.All(labels, l => Assert.Equal(3, l.Votes.Count));
        var (d1, d2) = (DatasetRows.Read(Path.Combine(dir, LabelsStage.System1File)), DatasetRows.Read(Path.Combine(dir, LabelsStage.System2File)));
        Assert.Equal(labels.Where(l => l.Label == ReasoningSystem.System1).Select(l => l.Id), d1.Select(r => r.Id));
        Assert.Equal(30, d1.Count + d2.Count);
        using var statistics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, LabelsWriter.StatisticsFileName)));
        var truth = statistics.RootElement.GetProperty("ground_truth");
        Assert.Equal(30, truth.GetProperty("items").GetInt32());
        var row1 = truth.GetProperty("truth_system1");
        Assert.Equal(15, row1.GetProperty("labelled_system1").GetInt32() + row1.GetProperty("labelled_system2").GetInt32());
        var expected = (d1.Count(r => r.System == 1) + d2.Count(r => r.System == 2)) / 30.0;
        Assert.Equal(Math.Round(expected, 6), truth.GetProperty("accuracy").GetDouble());
        Assert.Equal(3, truth.GetProperty("teachers").GetArrayLength());
        Assert.True(statistics.RootElement.GetProperty("pairwise_agreement").GetArrayLength() == 3);
        var metrics = MetricsFile.Read(Path.Combine(dir, MetricsFile.FileName));
        Assert.Equal(Math.Round(100 * expected, 4), metrics["labels_ground_truth_accuracy"]);
        Assert.Equal(d2.Count, metrics["labels_d2"]);
    }

    [Fact]
    public void A_cancelled_labels_stage_resumes_without_asking_a_teacher_twice()
    {
        using var cancel = new CancellationTokenSource();
        var scorer = new CountingScorer(cancel, calls: 10);
        using var h = WithLocal(scorer);
        Assert.ThrowsAny<OperationCanceledException>(() => h.Run(cancel.Token));
        Assert.Equal(["data", "labels"], h.Ran());
        Assert.InRange(scorer.Calls, 10, 13);
        var asked = scorer.Calls;
        h.Run();
        Assert.Equal(["labels"], h.Ran());
        Assert.Equal(30, scorer.PerContext.Count);
        Assert.All(scorer.PerContext.Values, n => Assert.Equal(1, n));
        var votes = h.Progress.Tasks.Single(t => t.Description.StartsWith("labels"));
        Assert.Equal(60, votes.Done);
        Assert.EndsWith($"cached {asked}, failed 0", votes.Statuses[^1]);
        Assert.All(LabelsWriter.ReadLabels(Path.Combine(h.Artifact("labels"), LabelsWriter.LabelsFileName)),
            l => Assert.Equal(AnswerStatus.Answered, l.Votes[1].Status));
    }

    [Fact]
    public void The_vote_cache_lives_outside_the_artifact_and_serves_a_relabelling()
    {
        var scorer = new CountingScorer();
        using var h = WithLocal(scorer);
        h.Run();
        Assert.Equal(30, scorer.Calls);
        var cache = Assert.Single(Directory.GetFiles(VoteCacheFile.DirectoryOf(h.Ws.PathOf("artifacts")), "*.jsonl"));
        Assert.Equal(30, File.ReadAllLines(cache).Length);
        Assert.Equal(["d1.jsonl", "d2.jsonl", "labels.json", "labels.jsonl", "metrics.json", "stage.json"],
            Directory.GetFiles(h.Artifact("labels")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        h.Ran();
        h.Edit(HeuristicAndLocal.Replace("first-teacher", "system1").Replace("weight = 2.0", "weight = 1.0"));
        h.Run();
        Assert.Equal(["labels"], h.Ran());
        Assert.Equal(30, scorer.Calls);
        h.Edit(HeuristicAndLocal.Replace("first-teacher\"", "system1\"").Replace("weight = 2.0", "weight = 1.0")
               + "[splitter.resilience]\nmax_retries = 0\nmax_concurrency = 1\n");
        h.Run();
        Assert.Empty(h.Ran());
    }

    [Fact]
    public void Editing_the_local_checkpoint_relabels_and_asks_again()
    {
        var scorer = new CountingScorer();
        using var h = WithLocal(scorer);
        h.Run();
        h.Ran();
        h.Ws.Write("teacher/model.bin", "other weights");
        h.Run();
        Assert.Equal(["labels"], h.Ran());
        Assert.Equal(60, scorer.Calls);
    }

    [Fact]
    public void A_prompt_template_file_is_what_the_teacher_reads_and_editing_it_relabels()
    {
        var scorer = new CountingScorer();
        using var h = WithLocal(scorer, HeuristicAndLocal.Replace("tie_break", "prompt = \"judge.txt\"\ntie_break"));
        h.Ws.Write("judge.txt", "As {target_model}, judge: {question}\nSolution: {answer}\n");
        h.Run();
        var rows = DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.TrainFile));
        Assert.Contains($"As LLaMA-2-7B, judge: {rows[0].Question}\nSolution: {rows[0].Answer.Trim()}\n\n\nClassification:", scorer.PerContext.Keys);
        Assert.Equal(30, scorer.Calls);
        h.Ran();
        h.Ws.Write("judge.txt", "Judge: {question}\n");
        h.Run();
        Assert.Equal(["labels"], h.Ran());
        Assert.Equal(60, scorer.Calls);
    }

    [Fact]
    public void A_local_teacher_without_a_model_loader_is_bad_input_that_says_so()
    {
        using var h = new StageHarness(HeuristicAndLocal, new DataStage(), new LabelsStage());
        h.Ws.Write("teacher/model.bin", "weights");
        var error = Assert.Throws<BadInputException>(() => h.Run());
        Assert.Contains("\"tiny\" is a local teacher", error.Message);
        Assert.Contains("no model loader", error.Message);
    }

    [Fact]
    public void Role_play_vote_without_teachers_is_refused_at_load_pointing_at_the_heuristic_method()
    {
        using var h = new StageHarness(Synthetic + "[splitter]\nmethod = \"role-play-vote\"\n", new DataStage(), new LabelsStage());
        var error = Assert.Throws<BadInputException>(() => h.Run()).Message;
        Assert.Contains("splitter.teachers: method = \"role-play-vote\" needs teachers", error);
        Assert.Contains("method = \"heuristic\"", error);
        Assert.Equal(0, h.Stages.Sum(st => st.Executions));
    }

    [Fact]
    public void Random_labelling_asks_nobody_and_splits_by_the_fraction()
    {
        using var h = new StageHarness(Synthetic + "[splitter]\nmethod = \"random\"\nrandom_system2_fraction = 0.2\n", new DataStage(), new LabelsStage());
        h.Run();
        Assert.Equal(6, DatasetRows.Read(Path.Combine(h.Artifact("labels"), LabelsStage.System2File)).Count);
    }

    [Fact]
    public void An_openai_teacher_reads_its_key_only_from_the_named_variable_and_never_writes_it()
    {
        const string key = "sk-lorapar-stage-secret";
        var seen = new List<string?>();
        var environment = new TeacherEnvironment
        {
            ReadVariable = name => name == "LORAPAR_TEST_KEY" ? key : null,
            HttpHandlerFactory = () => new ChatHandler(seen),
        };
        const string manifest = Synthetic + "[splitter]\nmethod = \"single-teacher\"\nendpoint = \"http://teachers.test/v1\"\n"
                                + "api_key_env = \"LORAPAR_TEST_KEY\"\nteachers = [\"judge\"]\n";
        using var h = new StageHarness(manifest, new DataStage(), new LabelsStage(environment: environment))
        {
            Environment = name => name == "LORAPAR_TEST_KEY" ? "set" : null,
        };
        h.Run();
        Assert.Equal(30, seen.Count);
        Assert.All(seen, header => Assert.Equal($"Bearer {key}", header));
        Assert.Equal(30, DatasetRows.Read(Path.Combine(h.Artifact("labels"), LabelsStage.System2File)).Count);
        foreach (var file in Directory.GetFiles(h.Ws.PathOf("artifacts"), "*", SearchOption.AllDirectories))
            Assert.DoesNotContain(key, File.ReadAllText(file));
        using var unset = new StageHarness(manifest, new DataStage(), new LabelsStage(environment: environment with { ReadVariable = _ => null }))
        {
            Environment = name => name == "LORAPAR_TEST_KEY" ? "set" : null,
        };
        Assert.Contains("LORAPAR_TEST_KEY", Assert.Throws<BadInputException>(() => unset.Run()).Message);
        // Unset where the manifest is loaded: refused before any stage runs, naming the teacher and the variable.
        using var unsetAtLoad = new StageHarness(manifest, new DataStage(), new LabelsStage(environment: environment));
        var error = Assert.Throws<BadInputException>(() => unsetAtLoad.Run()).Message;
        Assert.Contains("splitter.teachers: teacher \"judge\" reads its API key from LORAPAR_TEST_KEY, which is not set", error);
        Assert.Equal(0, unsetAtLoad.Stages.Sum(st => st.Executions));
    }

    /// <summary>An OpenAI-compatible endpoint that records the Authorization header and always answers "System 2".</summary>
    private sealed class ChatHandler(List<string?> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (seen) seen.Add(request.Headers.Authorization?.ToString());
            const string body = """
                {"id":"c","object":"chat.completion","created":1700000000,"model":"judge",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"System 2"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}
                """;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}

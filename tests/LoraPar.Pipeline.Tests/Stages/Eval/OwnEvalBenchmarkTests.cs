using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Own;
using LoraPar.Evaluation.Runs;
using LoraPar.Model.Generation;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Progress;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Eval;

namespace LoraPar.Pipeline.Tests.Stages.Eval;

public sealed class OwnEvalBenchmarkTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lorapar-own-eval-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static HeldOutExample Row(string id, string question, string answer, params string[] options) =>
        new(new OwnDataRecord(id, question, answer, "", null, OwnDataLayout.QuestionAnswer), options.Length == 0 ? null : options);

    [Fact]
    public void Choice_picks_by_summed_log_likelihood_and_reports_acc_norm_beside_it()
    {
        // q0: " no" −3 (−1.5/char), " absolutely" −5 (−0.5/char): acc picks "no" (gold), acc_norm "absolutely"
        // q1: " red" −1, " blue" −4: both pick "red", gold "blue"
        HeldOutExample[] rows = [Row("q0", "Is it?", "no", "no", "absolutely"), Row("q1", "Sky?", "blue", "red", "blue")];
        var scorer = new Table(r => (r.Context.Contains("Is it?"), r.Continuation) switch
        {
            (true, " no") => -3, (true, " absolutely") => -5, (false, " red") => -1, _ => -4,
        });
        var settings = new OwnEvalSection { Metric = AnswerMetric.Choice, Options = "options" };
        var benchmark = new OwnEvalBenchmark(rows, ChatTemplate.None, settings, new GenerationOptions(), batchSize: 2);

        var metrics = benchmark.Evaluate(new EvalTarget(null!, scorer, "stage1"), Run(out var out_));

        Assert.Equal(50.0, metrics["own_accuracy_stage1"]);
        Assert.Equal(0.0, metrics["own_accuracy_norm_stage1"]);
        var records = ResultLog<OwnAnswerRecord>.ReadAll(Path.Combine(out_, "own_stage1.jsonl"));
        Assert.Equal(("no", true, false), (records["q0"].Output, records["q0"].Correct, records["q0"].CorrectNorm));
        Assert.Equal([-3.0, -5.0], records["q0"].OptionLogLikelihoods!);
        Assert.Equal("Question: Is it?\nAnswer:", records["q0"].Prompt);      // the prompt as asked, under the data's template
        Assert.All(scorer.Requests, r => Assert.StartsWith(" ", r.Continuation));
    }

    [Fact]
    public void Generated_answers_are_graded_by_the_metric_and_keep_prompt_output_gold_and_verdict()
    {
        HeldOutExample[] rows = [Row("a", "2+5?", "It is 7.\n#### 7"), Row("b", "3+4?", "#### 7"), Row("c", "1+1?", "#### 2")];
        var generator = new Scripted(p => p.Contains("2+5") ? "#### 7" : p.Contains("3+4") ? "seven" : "");
        var settings = new OwnEvalSection { Metric = AnswerMetric.Numeric, AnswerRegex = @"####\s*(\S+)" };
        var benchmark = new OwnEvalBenchmark(rows, ChatTemplate.None, settings, new GenerationOptions(), batchSize: 2);

        var metrics = benchmark.Evaluate(new EvalTarget(generator, null!, "base"), Run(out var out_));

        Assert.Equal(100.0 / 3, metrics["own_accuracy_base"], 9);               // "seven" has no span; "" is the empty output
        var records = ResultLog<OwnAnswerRecord>.ReadAll(Path.Combine(out_, "own_base.jsonl"));
        Assert.Equal(new OwnAnswerRecord("a", "Question: 2+5?\nAnswer:", "It is 7.\n#### 7", "#### 7", true), records["a"]);
        Assert.False(records["b"].Correct);
        Assert.False(records["c"].Correct);
    }

    [Theory]
    [InlineData(2, new[] { "a", "b" }, 50.0)]
    [InlineData(0, new[] { "a", "b", "c" }, 100.0 / 3)]
    public void Eval_limit_keeps_the_first_rows_of_the_held_out_file(int limit, string[] graded, double accuracy)
    {
        var held = Path.Combine(_folder, "held.jsonl");
        File.WriteAllText(held, "{\"id\": \"a\", \"question\": \"1+1?\", \"answer\": \"2\"}\n{\"id\": \"b\", \"question\": \"2+2?\", \"answer\": \"4\"}\n"
                                + "{\"id\": \"c\", \"question\": \"3+3?\", \"answer\": \"6\"}\n");
        var manifest = new PipelineManifest
        {
            Eval = new EvalSection { Benchmarks = [Benchmark.Own], Limit = limit, Own = new OwnEvalSection { Metric = AnswerMetric.Numeric } },
        };
        var run = Run(out var out_, manifest, new Dictionary<string, string> { [EvalSuite.OwnInput] = held });

        var benchmark = Assert.Single(EvalSuite.Benchmarks(run.Context));
        var metrics = benchmark.Evaluate(new EvalTarget(new Scripted(_ => "2"), null!, "base"), run);

        Assert.Equal(graded.Length, benchmark.Units);
        Assert.Equal(graded, ResultLog<OwnAnswerRecord>.ReadAll(Path.Combine(out_, "own_base.jsonl")).Keys.Order());
        Assert.Equal(accuracy, metrics["own_accuracy_base"], 9);                // only "a" (gold 2) is answered right
    }

    private EvalRun Run(out string outputFolder, PipelineManifest? manifest = null, IReadOnlyDictionary<string, string>? inputs = null)
    {
        var partial = Path.Combine(_folder, "partial", Guid.NewGuid().ToString("N"));
        outputFolder = Path.Combine(_folder, "out", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outputFolder);
        var context = new StageContext(manifest ?? new PipelineManifest(), "key", outputFolder, new Dictionary<string, string>(),
            inputs ?? new Dictionary<string, string>(), NullProgressReporter.Instance, _ => { }, CancellationToken.None, () => partial);
        return new EvalRun(context, NullProgressReporter.Instance.Start("eval", 1));
    }

    private sealed class Scripted(Func<string, string> answer) : ITextGenerator
    {
        public IReadOnlyList<GeneratedText> Generate(IReadOnlyList<string> prompts, GenerationOptions options) =>
            prompts.Select(p => new GeneratedText(answer(p), [], [], FinishReason.Eos)).ToList();
    }

    private sealed class Table(Func<ScoringRequest, double> score) : ICompletionScorer
    {
        public List<ScoringRequest> Requests { get; } = [];

        public IReadOnlyList<double> LogLikelihood(IReadOnlyList<ScoringRequest> requests)
        {
            Requests.AddRange(requests);
            return requests.Select(score).ToList();
        }
    }
}

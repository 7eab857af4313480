using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Gsm8k;
using LoraPar.Evaluation.Runs;
using LoraPar.Evaluation.Tests.Fakes;
using LoraPar.TestSupport;

namespace LoraPar.Evaluation.Tests.Gsm8k;

public sealed class Gsm8kEvaluatorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public void Reference_solutions_score_100_percent_strict()
    {
        var path = SharedData.Require("datasets/gsm8k/train.jsonl");
        var problems = DatasetLoader.LoadGsm8k(new DatasetSource(path, DatasetFormat.Gsm8k));
        Assert.Equal(7473, problems.Count);
        var solutions = problems.GroupBy(p => p.Question).ToDictionary(g => g.Key, g => g.First().Solution);
        var generator = new ScriptedGenerator(prompt => solutions[QuestionOf(prompt)]);

        var report = new Gsm8kEvaluator(generator, new Gsm8kEvalOptions(BatchSize: 256))
            .Evaluate(problems, [], _temp.File("gsm8k.jsonl"));

        Assert.Equal(problems.Count, report.Strict.Trials);
        Assert.Equal(1.0, report.Strict.Estimate);
        Assert.Equal(1.0, report.Flexible.Estimate);
        Assert.True(report.Strict.Lower > 0.999);
        Assert.Equal(problems.Count, File.ReadLines(_temp.File("gsm8k.jsonl")).Count());
    }

    [Fact]
    public void Wrong_and_unmarked_answers_are_graded_apart()
    {
        var problems = Problems(3);
        var answers = new Queue<string>(["#### 0", "the answer is 1", "#### 9"]);
        var generator = new ScriptedGenerator(_ => answers.Dequeue());

        var report = new Gsm8kEvaluator(generator, new Gsm8kEvalOptions(BatchSize: 1)).Evaluate(problems, [], _temp.File("r.jsonl"));

        Assert.Equal(1, report.Strict.Successes);
        Assert.Equal(2, report.Flexible.Successes);
        Assert.Equal(3, report.Strict.Trials);
    }

    [Fact]
    public void Few_shot_prompts_show_k_train_solutions_and_decode_greedily()
    {
        var train = Problems(10, "train");
        var test = Problems(2);
        var generator = new ScriptedGenerator(_ => "#### 0");

        new Gsm8kEvaluator(generator, new Gsm8kEvalOptions(Shots: 3, BatchSize: 2)).Evaluate(test, train, _temp.File("r.jsonl"));

        var (prompts, options) = Assert.Single(generator.Calls);
        Assert.Equal(0, options.Temperature);
        Assert.Equal(Gsm8kPrompt.StopStrings, options.StopStrings);
        Assert.All(prompts, p => Assert.Equal(4, p.Split("Question:").Length - 1));
        Assert.All(prompts, p => Assert.Equal(3, p.Split("####").Length - 1));
        Assert.EndsWith("Question: question 1?\nAnswer:", prompts[1]);
    }

    [Fact]
    public void Reasoning_xml_prompts_ask_for_the_rl_format()
    {
        var shot = Problems(1, "train")[0];
        var prompt = Gsm8kPrompt.Build("How many?", [shot], Gsm8kPromptStyle.ReasoningXml);

        Assert.StartsWith(Gsm8kPrompt.ReasoningInstruction, prompt);
        Assert.Contains("<answer>\n0\n</answer>", prompt);
        Assert.EndsWith("Question: How many?\nAnswer:\n", prompt);
    }

    [Fact]
    public void An_interrupted_evaluation_resumes_where_it_stopped()
    {
        var problems = Problems(10);
        var results = _temp.File("resume.jsonl");
        var good = new ScriptedGenerator(p => "#### " + QuestionOf(p).Split(' ')[1].TrimEnd('?'));
        var evaluator = new Gsm8kEvaluator(new FailingGenerator(good, callsBeforeFailure: 2), new Gsm8kEvalOptions(BatchSize: 3));
        Assert.Throws<IOException>(() => evaluator.Evaluate(problems, [], results));
        Assert.Equal(6, File.ReadLines(results).Count());

        var resumed = new ScriptedGenerator(p => "#### " + QuestionOf(p).Split(' ')[1].TrimEnd('?'));
        var progress = new List<EvalProgress>();
        var report = new Gsm8kEvaluator(resumed, new Gsm8kEvalOptions(BatchSize: 3))
            .Evaluate(problems, [], results, new SyncProgress<EvalProgress>(progress.Add));

        Assert.Equal(4, resumed.Calls.Sum(c => c.Prompts.Count));
        Assert.Equal(10, report.Strict.Successes);
        Assert.Equal(new EvalProgress(6, 10, 6), progress[0]);
        Assert.Equal(new EvalProgress(10, 10, 6), progress[^1]);
        Assert.Equal(10, File.ReadLines(results).Select(l => l.Split('"')[3]).Distinct().Count());
    }

    /// <summary>Problems whose question i has gold answer i.</summary>
    internal static IReadOnlyList<Gsm8kProblem> Problems(int count, string prefix = "test") => Enumerable.Range(0, count)
        .Select(i => new Gsm8kProblem($"{prefix}#{i}", $"question {i}?", $"It is {i}.\n#### {i}", i.ToString()))
        .ToList();

    private static string QuestionOf(string prompt)
    {
        var start = prompt.LastIndexOf("Question: ", StringComparison.Ordinal) + "Question: ".Length;
        return prompt[start..prompt.LastIndexOf("\nAnswer:", StringComparison.Ordinal)];
    }
}

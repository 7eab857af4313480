using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Mmlu;
using LoraPar.Evaluation.Tests.Fakes;

namespace LoraPar.Evaluation.Tests.Mmlu;

public sealed class MmluEvaluatorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Picks_the_option_with_the_highest_log_likelihood()
    {
        // The rigged scorer favours the option named at the end of the question text ("... favour=C").
        var scorer = new RiggedScorer(r =>
        {
            var favoured = r.Context[r.Context.LastIndexOf("favour=", StringComparison.Ordinal) + 7];
            return r.Continuation == " " + favoured ? -0.5 : -3.0 - r.Continuation[1] % 3;
        });
        var test = new[]
        {
            Question("q1", "anatomy", "favour=C", 2),
            Question("q2", "anatomy", "favour=A", 1),
            Question("q3", "abstract_algebra", "favour=D", 3),
            Question("q4", "philosophy", "favour=B", 1),
        };

        var report = new MmluEvaluator(scorer, new MmluEvalOptions(BatchSize: 3)).Evaluate(test, [], _temp.File("mmlu.jsonl"));

        Assert.Equal(16, scorer.Requests.Count);
        Assert.Equal([" A", " B", " C", " D"], scorer.Requests.Take(4).Select(r => r.Continuation));
        Assert.Equal(3, report.Micro.Successes);
        Assert.Equal((0.5 + 1 + 1) / 3, report.Macro, 12);
        Assert.Equal([("abstract_algebra", 1, 1), ("anatomy", 1, 2), ("philosophy", 1, 1)],
            report.Subjects.Select(s => (s.Group, s.Correct, s.Total)));
        Assert.Equal([(MmluCategory.Stem, 1, 1), (MmluCategory.Humanities, 1, 1), (MmluCategory.Other, 1, 2)],
            report.Categories.Select(c => (c.Category, c.Correct, c.Total)));
    }

    [Fact]
    public void Pick_takes_the_first_of_equal_maxima() => Assert.Equal(1, MmluEvaluator.Pick([-2.0, -1.0, -1.0, -5.0]));

    [Fact]
    public void Five_shot_prompts_use_the_subjects_dev_questions()
    {
        var scorer = new RiggedScorer(_ => -1);
        var dev = Enumerable.Range(0, 6).Select(i => Question($"d{i}", "virology", $"dev {i}", i % 4)).ToList();
        dev.Add(Question("other", "anatomy", "not virology", 0));
        var test = new[] { Question("t", "virology", "the test question", 0) };

        new MmluEvaluator(scorer, new MmluEvalOptions(Shots: 5)).Evaluate(test, dev, _temp.File("m.jsonl"));

        var context = scorer.Requests[0].Context;
        Assert.StartsWith("The following are multiple choice questions (with answers) about virology.\n\ndev 0\nA. a0\nB. a1\nC. a2\nD. a3\nAnswer: A\n\n", context);
        Assert.Contains("dev 4\n", context);
        Assert.DoesNotContain("dev 5", context);
        Assert.DoesNotContain("not virology", context);
        Assert.EndsWith("the test question\nA. a0\nB. a1\nC. a2\nD. a3\nAnswer:", context);
    }

    [Fact]
    public void Too_few_dev_questions_for_the_shots_is_bad_input()
    {
        var error = Assert.Throws<BadInputException>(() => new MmluEvaluator(new RiggedScorer(_ => 0), new MmluEvalOptions(Shots: 5))
            .Evaluate([Question("t", "virology", "q", 0)], [], _temp.File("m.jsonl")));
        Assert.Contains("'virology'", error.Message);
    }

    [Fact]
    public void Resumes_from_the_results_file()
    {
        var test = Enumerable.Range(0, 5).Select(i => Question($"q{i}", "anatomy", "q", 0)).ToList();
        var path = _temp.File("m.jsonl");
        new MmluEvaluator(new RiggedScorer(_ => 0), new MmluEvalOptions(BatchSize: 2)).Evaluate(test.Take(3).ToList(), [], path);
        var scorer = new RiggedScorer(r => r.Continuation == " D" ? double.NegativeInfinity : 0);

        var report = new MmluEvaluator(scorer, new MmluEvalOptions(BatchSize: 2)).Evaluate(test, [], path);

        Assert.Equal(8, scorer.Requests.Count);
        Assert.Equal(5, report.Micro.Trials);
        using var log = LoraPar.Evaluation.Runs.ResultLog<MmluRecord>.Open(path);
        Assert.Equal(double.NegativeInfinity, log.Records["q4"].LogLikelihoods[3]);
    }

    [Fact]
    public void The_57_subjects_fall_into_the_standard_categories()
    {
        Assert.Equal(57, MmluCategories.BySubject.Count);
        var counts = MmluCategories.BySubject.Values.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(18, counts[MmluCategory.Stem]);
        Assert.Equal(13, counts[MmluCategory.Humanities]);
        Assert.Equal(12, counts[MmluCategory.SocialSciences]);
        Assert.Equal(14, counts[MmluCategory.Other]);
        Assert.Equal(MmluCategory.SocialSciences, MmluCategories.Of("high_school_government_and_politics"));
    }

    private static MmluQuestion Question(string id, string subject, string text, int answer) =>
        new(id, subject, text, ["a0", "a1", "a2", "a3"], answer);
}

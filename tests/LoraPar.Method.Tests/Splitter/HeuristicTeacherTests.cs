using System.Text.Json;
using LoraPar.Method.Splitter;
using LoraPar.TestSupport;

namespace LoraPar.Method.Tests.Splitter;

public sealed class HeuristicTeacherTests
{
    // GSM8K train row 0 (MIT licence): two steps, two calculator annotations, 31 question words.
    private static readonly SplitterItem Natalia = new("gsm8k-0",
        "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?",
        "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.\n#### 72");

    [Fact]
    public void Measures_steps_annotations_and_words()
    {
        Assert.Equal(new HeuristicSignals(2, 2, 31), HeuristicTeacher.Measure(Natalia));
    }

    [Fact]
    public void A_short_two_step_problem_is_system_1_and_says_why()
    {
        var answer = new HeuristicTeacher(new HeuristicTeacherConfig("rules")).Judge(Natalia);

        Assert.Equal(Vote.System1, answer.Vote);
        Assert.Equal("[heuristic] steps=2 (>= 4: no), calculator annotations=2 (>= 4: no), question words=31 (>= 50: no); " +
                     "0 of 3 signals fired, 2 required -> System 1", answer.Raw);
    }

    [Fact]
    public void Thresholds_are_configurable()
    {
        var strict = new HeuristicTeacher(new HeuristicTeacherConfig("rules") { StepThreshold = 2, AnnotationThreshold = 2 });
        Assert.Equal(Vote.System2, strict.Judge(Natalia).Vote);
        var oneSignal = new HeuristicTeacher(new HeuristicTeacherConfig("rules") { StepThreshold = 2, RequiredSignals = 1 });
        Assert.Equal(Vote.System2, oneSignal.Judge(Natalia).Vote);
    }

    [Fact]
    public void Without_a_reference_solution_only_length_counts()
    {
        var teacher = new HeuristicTeacher(new HeuristicTeacherConfig("rules") { QuestionWordThreshold = 5 });
        var answer = teacher.Judge(new SplitterItem("x", "one two three four five six"));

        Assert.Equal(Vote.System2, answer.Vote);
        Assert.Contains("steps=n/a (no reference solution)", answer.Raw);
        Assert.Contains("1 of 1 signals fired, 1 required", answer.Raw);
    }

    [Fact]
    public void Is_not_cached_and_its_identity_names_its_thresholds()
    {
        using var teacher = new HeuristicTeacher(new HeuristicTeacherConfig("rules"));
        Assert.False(teacher.IsCached);
        Assert.Equal("heuristic|steps>=4|annotations>=4|words>=50|signals>=2", teacher.Identity);
    }

    [SkippableFact]
    public void The_defaults_put_about_38_percent_of_gsm8k_train_into_system_2()
    {
        var path = SharedData.Require("datasets/gsm8k/train.jsonl");
        var teacher = new HeuristicTeacher(new HeuristicTeacherConfig("rules"));
        var items = File.ReadLines(path).Select((line, i) =>
        {
            using var row = JsonDocument.Parse(line);
            return new SplitterItem($"gsm8k-{i}", row.RootElement.GetProperty("question").GetString()!,
                row.RootElement.GetProperty("answer").GetString());
        }).ToList();

        var system2 = items.Count(item => teacher.Judge(item).Vote == Vote.System2);

        Assert.Equal(7473, items.Count);
        Assert.InRange((double)system2 / items.Count, 0.37, 0.40);
    }
}

using System.Text.Json;
using LoraPar.Method.Splitter;
using LoraPar.TestSupport;

namespace LoraPar.Method.Tests.Splitter;

public sealed class CalculatorStepsTeacherTests
{
    /// <summary>Rows of the real GSM8K train file (0-based line numbers), read from shared/.</summary>
    private static SplitterItem Row(int line)
    {
        var text = File.ReadLines(SharedData.Require("datasets/gsm8k/train.jsonl")).ElementAt(line);
        using var row = JsonDocument.Parse(text);
        return new SplitterItem($"gsm8k-{line}", row.RootElement.GetProperty("question").GetString()!, row.RootElement.GetProperty("answer").GetString());
    }

    private static LoraPar.Method.Splitter.Vote Vote(SplitterItem item, int maxSystem1Steps = 1) =>
        new CalculatorStepsTeacher(new CalculatorStepsTeacherConfig("steps") { MaxSystem1Steps = maxSystem1Steps }).Judge(item).Vote;

    // Counted by hand from the rows:
    //   0  Natalia: <<48/2=24>>, <<48+24=72>>                                  → 2 steps
    //   2  Betty:   <<100/2=50>>, <<15*2=30>>, <<100-50-30-15=5>>              → 3 steps
    //   35 Mr. Sanchez: "100% - 40% = 60%" has no annotation, <<60*60/100=36>> → 1 step
    //   48 Carlos: <<24/6=4>>; "4+6=10" is written without one                 → 1 step
    [SkippableTheory]
    [InlineData(0, 2)]
    [InlineData(2, 3)]
    [InlineData(35, 1)]
    [InlineData(48, 1)]
    public void Counts_the_calculator_annotations_of_real_gsm8k_answers(int line, int steps) =>
        Assert.Equal(steps, CalculatorStepsTeacher.Count(Row(line).ReferenceSolution!));

    [SkippableFact]
    public void Up_to_the_threshold_is_system_1_and_above_it_system_2()
    {
        var (natalia, betty, sanchez, carlos) = (Row(0), Row(2), Row(35), Row(48));

        Assert.Equal([LoraPar.Method.Splitter.Vote.System2, LoraPar.Method.Splitter.Vote.System2, LoraPar.Method.Splitter.Vote.System1, LoraPar.Method.Splitter.Vote.System1],
            new[] { natalia, betty, sanchez, carlos }.Select(i => Vote(i)));
        Assert.Equal([LoraPar.Method.Splitter.Vote.System1, LoraPar.Method.Splitter.Vote.System2], new[] { natalia, betty }.Select(i => Vote(i, maxSystem1Steps: 2)));
        Assert.Equal(LoraPar.Method.Splitter.Vote.System2, Vote(carlos, maxSystem1Steps: 0));
        var raw = new CalculatorStepsTeacher(new CalculatorStepsTeacherConfig("steps")).Judge(betty).Raw;
        Assert.Equal("[calculator-steps] 3 calculator steps (System 1 up to 1) -> System 2", raw);
    }

    [Fact]
    public void Without_a_reference_solution_it_abstains_and_it_asks_nobody()
    {
        using var teacher = new CalculatorStepsTeacher(new CalculatorStepsTeacherConfig("steps"));
        Assert.Equal(LoraPar.Method.Splitter.Vote.Abstain, teacher.Judge(new SplitterItem("q", "What is 2 + 2?")).Vote);
        Assert.Equal(LoraPar.Method.Splitter.Vote.System1, teacher.Judge(new SplitterItem("q", "What is 2 + 2?", "2 + 2 = 4\n#### 4")).Vote);
        Assert.False(teacher.IsCached);
        Assert.Equal(TeacherKind.CalculatorSteps, teacher.Config.Kind);
    }
}

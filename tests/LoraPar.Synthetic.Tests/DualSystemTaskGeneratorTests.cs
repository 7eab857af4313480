using System.Globalization;
using System.Text.RegularExpressions;
using LoraPar.Core;
using LoraPar.Synthetic;

namespace LoraPar.Synthetic.Tests;

public sealed partial class DualSystemTaskGeneratorTests
{
    private static readonly DualSystemTaskConfig Small = new() { Seed = 42, System1 = new(60, 20), System2 = new(60, 20) };

    [GeneratedRegex(@"^(?<lead>[^<]*?)(?<expr>(?<a>\d+)(?<op>[+\-*])(?<b>\d+))=<<(?<expr2>[^=]+)=(?<value>\d+)>>(?<shown>\d+)\.$")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"^#### (\d+)$")]
    private static partial Regex FinalLine();

    private static IEnumerable<DualSystemItem> All(DualSystemTask task) => task.Train.Concat(task.Eval);

    [Fact]
    public void The_pretrain_pool_continues_each_stream_after_the_splits_and_is_deterministic()
    {
        var task = DualSystemTaskGenerator.Generate(Small);
        var pool = DualSystemTaskGenerator.PretrainPool(Small, ReasoningSystem.System2, 25);
        Assert.Equal(25, pool.Count);
        Assert.Equal("s2-pretrain-00000", pool[0].Id);
        Assert.All(pool, i => Assert.Equal(ReasoningSystem.System2, i.System));
        Assert.Empty(pool.Select(i => i.Question).Intersect(All(task).Select(i => i.Question)));
        Assert.Equal(25, pool.Select(i => i.Question).Distinct().Count());
        Assert.Equal(pool.Select(i => i.Question), DualSystemTaskGenerator.PretrainPool(Small, ReasoningSystem.System2, 25).Select(i => i.Question));
        Assert.Empty(DualSystemTaskGenerator.PretrainPool(Small, ReasoningSystem.System1, 0));
    }

    [Fact]
    public void Same_seed_gives_byte_identical_files_and_another_seed_differs()
    {
        using var dir = new TempDir();
        var a = DualSystemJsonl.WriteSplits(Path.Combine(dir.Path, "a"), DualSystemTaskGenerator.Generate(Small));
        var b = DualSystemJsonl.WriteSplits(Path.Combine(dir.Path, "b"), DualSystemTaskGenerator.Generate(Small));
        var c = DualSystemJsonl.WriteSplits(Path.Combine(dir.Path, "c"), DualSystemTaskGenerator.Generate(Small with { Seed = 43 }));
        Assert.Equal(File.ReadAllBytes(a.Train), File.ReadAllBytes(b.Train));
        Assert.Equal(File.ReadAllBytes(a.Eval), File.ReadAllBytes(b.Eval));
        Assert.NotEqual(File.ReadAllBytes(a.Train), File.ReadAllBytes(c.Train));
    }

    [Fact]
    public void Splits_have_the_requested_sizes_unique_ids_and_no_shared_question()
    {
        var task = DualSystemTaskGenerator.Generate(Small with { System1 = new(50, 15), System2 = new(35, 25) });
        Assert.Equal(50, task.Items(DataSplit.Train, ReasoningSystem.System1).Count);
        Assert.Equal(15, task.Items(DataSplit.Eval, ReasoningSystem.System1).Count);
        Assert.Equal(35, task.Items(DataSplit.Train, ReasoningSystem.System2).Count);
        Assert.Equal(25, task.Items(DataSplit.Eval, ReasoningSystem.System2).Count);
        Assert.Empty(task.Train.Select(i => i.Question).Intersect(task.Eval.Select(i => i.Question)));
        Assert.Equal(All(task).Count(), All(task).Select(i => i.Question).Distinct().Count());
        Assert.Equal(All(task).Count(), All(task).Select(i => i.Id).Distinct().Count());
    }

    [Fact]
    public void Growing_the_train_split_keeps_the_eval_split_and_the_other_system()
    {
        var before = DualSystemTaskGenerator.Generate(Small);
        var after = DualSystemTaskGenerator.Generate(Small with { System2 = Small.System2 with { Train = 90 } });
        Assert.Equal(before.Eval.OrderBy(i => i.Id, StringComparer.Ordinal), after.Eval.OrderBy(i => i.Id, StringComparer.Ordinal));
        Assert.Equal(before.Items(DataSplit.Train, ReasoningSystem.System1).OrderBy(i => i.Id, StringComparer.Ordinal),
                     after.Items(DataSplit.Train, ReasoningSystem.System1).OrderBy(i => i.Id, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_system2_annotation_evaluates_and_the_final_answer_is_the_last_step()
    {
        var task = DualSystemTaskGenerator.Generate(Small);
        foreach (var item in All(task).Where(i => i.System == ReasoningSystem.System2))
        {
            var lines = item.SolutionLines;
            Assert.InRange(lines.Count, 2, 4);
            var values = new List<int>();
            foreach (var line in lines)
            {
                var m = StepLine().Match(line);
                Assert.True(m.Success, $"{item.Id}: step line '{line}' is not '<lead>a op b=<<a op b=v>>v.'");
                Assert.Equal(m.Groups["expr"].Value, m.Groups["expr2"].Value);
                var (a, b) = (Int(m.Groups["a"].Value), Int(m.Groups["b"].Value));
                var expected = m.Groups["op"].Value switch { "+" => a + b, "-" => a - b, _ => a * b };
                Assert.Equal(expected, Int(m.Groups["value"].Value));
                Assert.Equal(expected, Int(m.Groups["shown"].Value));
                Assert.InRange(expected, 0, Small.Ranges.MaxValue);
                values.Add(expected);
            }
            Assert.Equal(values[^1], item.FinalAnswer);
            Assert.Equal($"#### {values[^1]}", item.Answer.Split('\n')[^1]);
        }
    }

    [Fact]
    public void System1_items_are_a_single_final_line_whose_number_the_question_determines()
    {
        var task = DualSystemTaskGenerator.Generate(Small);
        foreach (var item in All(task).Where(i => i.System == ReasoningSystem.System1))
        {
            Assert.Empty(item.SolutionLines);
            Assert.DoesNotContain("<<", item.Answer);
            Assert.Equal(ExpectedSystem1Answer(item), item.FinalAnswer);
        }
    }

    [Fact]
    public void Answers_parse_with_the_final_line_regex_and_texts_respect_limits_and_alphabet()
    {
        var task = DualSystemTaskGenerator.Generate(Small);
        foreach (var item in All(task))
        {
            var m = FinalLine().Match(item.Answer.Split('\n')[^1]);
            Assert.True(m.Success, item.Answer);
            Assert.Equal(item.FinalAnswer, Int(m.Groups[1].Value));
            Assert.Equal(item.FinalAnswer, Gsm8kAnswer.TryParseFinal(item.Answer));
            Assert.InRange(item.Question.Length, 1, Small.MaxQuestionChars);
            Assert.InRange(item.Answer.Length, 1, Small.MaxSolutionChars);
            Assert.True(TaskAlphabet.Covers(item.Question), item.Question);
            Assert.True(TaskAlphabet.Covers(item.Answer), item.Answer);
            Assert.Equal(item.Kind.SystemOf(), item.System);
        }
    }

    [Fact]
    public void Both_systems_cover_every_template_family_and_step_count()
    {
        var task = DualSystemTaskGenerator.Generate(Small);
        var kinds = All(task).Select(i => i.Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<TaskKind>().ToHashSet(), kinds);
        var stepCounts = All(task).Where(i => i.System == ReasoningSystem.System2).Select(i => i.SolutionLines.Count).ToHashSet();
        Assert.Equal(new HashSet<int> { 2, 3, 4 }, stepCounts);
    }

    [Fact]
    public void Invalid_configuration_reports_every_problem()
    {
        var bad = Small with
        {
            System1 = new(-1, 5),
            Ranges = new OperationRanges { Factor = new(1, 3), Count = new(5, 5) },
            System2Steps = new(1, 5),
        };
        var error = Assert.Throws<BadInputException>(() => DualSystemTaskGenerator.Generate(bad));
        Assert.Contains("system1 sizes", error.Message);
        Assert.Contains("ranges.factor", error.Message);
        Assert.Contains("ranges.count", error.Message);
        Assert.Contains("system2_steps", error.Message);
    }

    [Fact]
    public void A_configuration_no_draw_can_satisfy_is_a_clear_error()
    {
        var impossible = Small with { System2 = new(10, 0), MaxQuestionChars = 60 };
        var error = Assert.Throws<BadInputException>(() => DualSystemTaskGenerator.Generate(impossible));
        Assert.Contains("found only 0 distinct System-2 questions of the 10 requested", error.Message);
        Assert.Contains("raise the length limits", error.Message);
    }

    private static int ExpectedSystem1Answer(DualSystemItem item)
    {
        var numbers = Regex.Matches(item.Question, @"\d+").Select(m => Int(m.Value)).ToArray();
        Assert.Equal(2, numbers.Length);
        return item.Kind switch
        {
            TaskKind.ArithmeticFact => item.Question.Contains(" + ") ? numbers[0] + numbers[1]
                : item.Question.Contains(" - ") ? numbers[0] - numbers[1] : numbers[0] * numbers[1],
            TaskKind.Comparison => item.Question.Contains("larger") ? numbers.Max() : numbers.Min(),
            TaskKind.Lookup => LookupAnswer(item.Question, numbers),
            _ => throw new InvalidOperationException($"{item.Id} is not a System-1 kind"),
        };
    }

    private static int LookupAnswer(string question, int[] numbers)
    {
        var m = Regex.Match(question, @"has \d+ (?<c1>\w+) and \d+ (?<c2>\w+) \w+\. How many (?<asked>\w+) ");
        Assert.True(m.Success, question);
        return m.Groups["asked"].Value == m.Groups["c1"].Value ? numbers[0] : numbers[1];
    }

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
}

using System.Text;
using LoraPar.Core;
using LoraPar.Synthetic;

namespace LoraPar.Synthetic.Tests;

public sealed class DualSystemJsonlTests
{
    private static readonly DualSystemTaskConfig Small = new() { Seed = 5, System1 = new(10, 4), System2 = new(10, 4) };

    [Fact]
    public void A_row_is_one_json_object_with_fixed_key_order_and_literal_calculator_marks()
    {
        var item = new DualSystemItem("s2-train-00000", ReasoningSystem.System2, TaskKind.Chain,
            "Ann has 5 pens. She buys 3 more. She loses 2. How many pens does she have?",
            "She has 5+3=<<5+3=8>>8.\nShe has 8-2=<<8-2=6>>6.\n#### 6", 6);
        var line = Encoding.UTF8.GetString(DualSystemJsonl.Serialize(item));
        Assert.Equal(
            """{"id":"s2-train-00000","system":2,"kind":"chain","question":"Ann has 5 pens. She buys 3 more. She loses 2. How many pens does she have?","answer":"She has 5+3=<<5+3=8>>8.\nShe has 8-2=<<8-2=6>>6.\n#### 6"}""",
            line);
    }

    [Fact]
    public void Written_splits_read_back_equal()
    {
        using var dir = new TempDir();
        var task = DualSystemTaskGenerator.Generate(Small);
        var (train, eval) = DualSystemJsonl.WriteSplits(dir.Path, task);
        Assert.Equal(task.Train, DualSystemJsonl.Read(train));
        Assert.Equal(task.Eval, DualSystemJsonl.Read(eval));
        var bytes = File.ReadAllBytes(train);
        Assert.Equal((byte)'\n', bytes[^1]);
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal(task.Train.Count, File.ReadAllLines(train).Length);
    }

    [Theory]
    [InlineData("not json", "not a JSON object")]
    [InlineData("""{"id":"x","system":3,"kind":"chain","question":"q","answer":"#### 1"}""", "'system' must be 1 or 2")]
    [InlineData("""{"id":"x","system":1,"kind":"riddle","question":"q","answer":"#### 1"}""", "unknown kind 'riddle'")]
    [InlineData("""{"id":"x","system":1,"kind":"lookup","answer":"#### 1"}""", "missing string field 'question'")]
    [InlineData("""{"id":"x","system":1,"kind":"lookup","question":"q","answer":"12"}""", "must end with a line '#### N'")]
    public void A_malformed_row_names_file_and_line(string row, string expected)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "bad.jsonl");
        var good = Encoding.UTF8.GetString(DualSystemJsonl.Serialize(DualSystemTaskGenerator.Generate(Small).Train[0]));
        File.WriteAllText(path, good + "\n" + row + "\n");
        var error = Assert.Throws<BadInputException>(() => DualSystemJsonl.Read(path));
        Assert.Contains($"{path}:2", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_missing_file_is_bad_input()
    {
        var error = Assert.Throws<BadInputException>(() => DualSystemJsonl.Read("/nonexistent/train.jsonl"));
        Assert.Contains("file not found", error.Message);
    }
}

using System.Text.Json;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Training.Tests.Grpo.Rewards;

/// <summary>The authors' reading against their functions' own outputs on 437 completions (Fixtures/README.md).</summary>
public sealed class RewardFixtureTests
{
    private sealed record Case(string Completion, string Gold, double Correctness, double IntegerAnswer, double StrictFormat,
        double SoftFormat, double XmlTagCount);

    private static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static List<Case> Load() =>
        JsonSerializer.Deserialize<List<Case>>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Grpo", "Rewards", "Fixtures", "authors-rewards.json")), Snake)!;

    [Fact]
    public void Every_function_equals_the_authors_on_every_fixture_completion()
    {
        var cases = Load();
        Assert.Equal(437, cases.Count);
        var wrong = new List<string>();
        foreach (var c in cases)
        {
            void Check(string name, double expected, double actual)
            {
                if (expected != actual) wrong.Add($"{name}({JsonSerializer.Serialize(c.Completion)}, {c.Gold}) = {actual}, authors {expected}");
            }
            Check("correctness", c.Correctness, CorrectnessReward.Score(c.Completion, c.Gold, RewardRules.Authors));
            Check("integer_answer", c.IntegerAnswer, IntegerAnswerReward.Score(c.Completion, RewardRules.Authors));
            Check("strict_format", c.StrictFormat, StrictFormatReward.Score(c.Completion, RewardRules.Authors));
            Check("soft_format", c.SoftFormat, SoftFormatReward.Score(c.Completion, RewardRules.Authors));
            Check("xml_tag_count", c.XmlTagCount, XmlTagCountReward.Score(c.Completion, RewardRules.Authors));
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void The_fixture_tells_the_two_readings_apart()
    {
        var cases = Load();
        Assert.Contains(cases, c => XmlTagCountReward.Score(c.Completion, RewardRules.Lorapar) != c.XmlTagCount);
        Assert.Contains(cases, c => CorrectnessReward.Score(c.Completion, c.Gold, RewardRules.Lorapar) != c.Correctness);
    }
}

using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Training.Tests.Grpo.Rewards;

public sealed class WeightedRewardsTests
{
    private const string Ideal = "<reasoning>\n2*3=6\n</reasoning>\n<answer>\n6\n</answer>\n";

    [Fact]
    public void Functions_are_logged_by_snake_case_name_and_correctness_decides_accuracy()
    {
        var scores = new WeightedRewards(new RewardWeights(), RewardRules.Lorapar).Score([Ideal, "<answer>7</answer>"], RewardExamples.Of("6", "6"));
        Assert.Equal(["correctness", "integer_answer", "soft_format", "strict_format", "xml_tag_count"], scores.PerFunction.Keys.Order());
        Assert.Equal([4.0, 0.5 + 0.0 + 0.0 + 0.0], scores.Total.Select(t => Math.Round(t, 6)));
        Assert.Equal([true, false], scores.Correct!);
    }

    [Fact]
    public void The_hash_variant_decides_accuracy_when_the_tag_variant_is_off_and_none_without_either()
    {
        var hash = new WeightedRewards(new RewardWeights { Correctness = 0, HashCorrectness = 1 }, RewardRules.Lorapar).Score(["x\n#### 6", "#### 5"], RewardExamples.Of("6", "6"));
        Assert.Equal([true, false], hash.Correct!);
        var formatOnly = new WeightedRewards(new RewardWeights { Correctness = 0, IntegerAnswer = 0 }, RewardRules.Lorapar).Score([Ideal], RewardExamples.Of("6"));
        Assert.Null(formatOnly.Correct);
    }
}

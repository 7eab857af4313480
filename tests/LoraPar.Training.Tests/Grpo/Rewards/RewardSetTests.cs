using LoraPar.Core;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Training.Tests.Grpo.Rewards;

public sealed class RewardSetTests
{
    private const string Ideal = "<reasoning>\nHe has 2*3=<<2*3=6>>6.\n</reasoning>\n<answer>\n6\n</answer>\n";
    private const string Loose = "<reasoning>2*3 is 6</reasoning> <answer>6</answer>";
    private const string Wrong = "<reasoning>\nguess\n</reasoning>\n<answer>\n7\n</answer>\n";

    [Fact]
    public void Default_weights_sum_the_authors_five_rewards()
    {
        var batch = new RewardSet(new RewardWeights(), RewardRules.Lorapar).Score([Ideal, Loose, Wrong, "6"], ["6", "6", "6", "6"]);
        Assert.Equal([RewardKind.Correctness, RewardKind.IntegerAnswer, RewardKind.StrictFormat, RewardKind.SoftFormat, RewardKind.XmlTagCount],
            batch.PerFunction.Keys.Order());
        Assert.Equal([2.0, 2.0, 0.0, 0.0], batch.PerFunction[RewardKind.Correctness]);
        Assert.Equal([0.5, 0.5, 0.5, 0.0], batch.PerFunction[RewardKind.IntegerAnswer]);
        Assert.Equal([0.5, 0.0, 0.5, 0.0], batch.PerFunction[RewardKind.StrictFormat]);
        Assert.Equal([0.5, 0.5, 0.5, 0.0], batch.PerFunction[RewardKind.SoftFormat]);
        Assert.Equal([0.5, 0.0, 0.5, 0.0], batch.PerFunction[RewardKind.XmlTagCount]);
        Assert.Equal([4.0, 3.0, 2.0, 0.0], batch.Total);
    }

    [Fact]
    public void Weights_multiply_each_function_and_zero_weights_are_not_computed()
    {
        var weights = new RewardWeights { Correctness = 0, HashCorrectness = 0.5, IntegerAnswer = 0, StrictFormat = 2, SoftFormat = 0, XmlTagCount = 0 };
        var batch = new RewardSet(weights, RewardRules.Lorapar).Score(["x\n#### 6", Ideal], ["6", "6"]);
        Assert.Equal([RewardKind.HashCorrectness, RewardKind.StrictFormat], batch.PerFunction.Keys.Order());
        Assert.Equal([0.5 * 2.0 + 0.0, 0.0 + 2 * 0.5], batch.Total);
    }

    [Fact]
    public void Invalid_weights_and_mismatched_batches_are_refused()
    {
        Assert.Throws<BadInputException>(() => new RewardSet(new RewardWeights { SoftFormat = double.NaN }, RewardRules.Lorapar));
        var none = new RewardWeights { Correctness = 0, IntegerAnswer = 0, StrictFormat = 0, SoftFormat = 0, XmlTagCount = 0 };
        Assert.Contains("no signal", Assert.Throws<BadInputException>(() => new RewardSet(none, RewardRules.Lorapar)).Message);
        Assert.Throws<ArgumentException>(() => new RewardSet(new RewardWeights(), RewardRules.Lorapar).Score(["a", "b"], ["1"]));
    }
}

using LoraPar.Training.Grpo;

namespace LoraPar.Training.Tests.Grpo;

public sealed class GroupAdvantagesTests
{
    private static readonly double[] Rewards = [1, 2, 3, 0, 0, 0];   // two groups of 3

    [Fact]
    public void Group_scaling_divides_by_the_groups_unbiased_std_plus_epsilon()
    {
        // Group 0: mean 2, std = sqrt((1 + 0 + 1) / 2) = 1. Group 1: all equal, std 0, advantages 0.
        var a = GroupAdvantages.Compute(Rewards, 3, ScaleRewards.Group);
        var s = 1 / (1 + 1e-4);
        AssertClose([-s, 0, s, 0, 0, 0], a.Values);
        AssertClose([2, 0], a.GroupMeans);
        AssertClose([1, 0], a.GroupStds);
        Assert.Equal(0.5, a.FractionZeroStdGroups);
    }

    [Fact]
    public void Two_completions_show_the_bessel_correction()
    {
        // mean 2; unbiased std = sqrt((4 + 4) / 1) = 2√2 (the biased one would be 2, giving ±1).
        var a = GroupAdvantages.Compute([4, 0], 2, ScaleRewards.Group);
        AssertClose([2 / (2 * Math.Sqrt(2) + 1e-4), -2 / (2 * Math.Sqrt(2) + 1e-4)], a.Values);
    }

    [Fact]
    public void Batch_scaling_centres_per_group_and_divides_by_the_batch_std()
    {
        // Batch mean 1; unbiased std = sqrt((0 + 1 + 4 + 1 + 1 + 1) / 5) = sqrt(1.6).
        var a = GroupAdvantages.Compute(Rewards, 3, ScaleRewards.Batch);
        var s = 1 / (Math.Sqrt(1.6) + 1e-4);
        AssertClose([-s, 0, s, 0, 0, 0], a.Values);
    }

    [Fact]
    public void No_scaling_leaves_the_centred_rewards()
    {
        AssertClose([-1, 0, 1, 0, 0, 0], GroupAdvantages.Compute(Rewards, 3, ScaleRewards.None).Values);
        AssertClose([0.5, -0.5], GroupAdvantages.Compute([2.5, 1.5], 2, ScaleRewards.None).Values);
    }

    [Fact]
    public void Groups_of_one_and_ragged_batches_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GroupAdvantages.Compute([1, 2], 1, ScaleRewards.Group));
        Assert.Throws<ArgumentException>(() => GroupAdvantages.Compute([1, 2, 3], 2, ScaleRewards.Group));
        Assert.Throws<ArgumentException>(() => GroupAdvantages.Compute([], 2, ScaleRewards.Group));
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }
}

using LoraPar.Core;
using LoraPar.Training.Grpo;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Training.Tests.Grpo;

public sealed class GrpoOptionsTests
{
    [Fact]
    public void Defaults_are_the_authors_stage_2_settings()
    {
        var o = new GrpoOptions();
        Assert.Equal((5e-6, 0.9, 0.99, 0.1, 0.1), (o.LearningRate, o.Beta1, o.Beta2, o.WeightDecay, o.WarmupRatio));
        Assert.Equal((8, 128, 256, 0.1, 1), (o.NumGenerations, o.MaxPromptLength, o.MaxCompletionLength, o.MaxGradNorm, o.Epochs));
        Assert.Equal((0.9, 1.0, 0.2, 0.2, 0.04, 1), (o.Temperature, o.TopP, o.Loss.Epsilon, o.Loss.UpperEpsilon, o.Loss.Beta, o.NumIterations));
        Assert.Equal((ScaleRewards.Group, LossAggregation.Grpo), (o.ScaleRewards, o.Loss.LossType));
        Assert.Equal(new RewardWeights(), o.Rewards);
        Assert.Empty(o.Problems());
    }

    [Fact]
    public void Steps_count_rollouts_times_updates_per_rollout()
    {
        var o = new GrpoOptions { PromptsPerBatch = 2, GradientAccumulationSteps = 3, NumIterations = 2, Epochs = 2 };
        Assert.Equal(6, o.PromptsPerRollout);
        Assert.Equal(4, o.RolloutsPerEpoch(19));
        Assert.Equal(2 * 4 * 2, o.TotalSteps(19));
        Assert.Equal(10, (o with { MaxSteps = 10 }).TotalSteps(19));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var bad = new GrpoOptions
        {
            NumGenerations = 1, Temperature = 0, NumIterations = 2, MaxSteps = 3, CheckpointEvery = 5, Loss = new() { Beta = -1 },
        };
        var error = Assert.Throws<BadInputException>(() => bad.Validated());
        foreach (var key in new[] { "rl.num_generations: 1", "rl.temperature: 0", "rl.max_steps: 3", "rl.checkpoint_every: 5", "rl.beta: -1" })
            Assert.Contains(key, error.Message);
    }
}

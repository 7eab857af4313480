using LoraPar.Model.Runtime;
using LoraPar.Training.Grpo;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Grpo;

public sealed class LossAggregatorTests
{
    public LossAggregatorTests() => TorchRuntime.EnsureInitialized();

    private static Tensor T2(params double[] values) => tensor(values, dtype: ScalarType.Float64).reshape(2, 2);   // (B, T)

    private static double Aggregate(Tensor loss, Tensor mask, LossAggregation kind, AggregationScale scale) =>
        LossAggregator.Aggregate(loss, mask, kind, scale).item<double>();

    [Fact]
    public void Gradient_accumulation_divides_grpo_bnpo_and_dr_grpo_but_dapo_uses_the_global_token_count()
    {
        using var scope = NewDisposeScope();
        var loss = T2(-1, -1.2, 0.8, 1);
        var mask = T2(1, 1, 1, 0);
        var accumulated = new AggregationScale(MaxCompletionLength: 4, GradientAccumulationSteps: 2, GlobalCompletionTokens: 7);
        Assert.Equal(-0.15 / 2, Aggregate(loss, mask, LossAggregation.Grpo, accumulated), 12);
        Assert.Equal(-1.4 / 3 / 2, Aggregate(loss, mask, LossAggregation.Bnpo, accumulated), 12);
        Assert.Equal(-1.4 / 8 / 2, Aggregate(loss, mask, LossAggregation.DrGrpo, accumulated), 12);
        Assert.Equal(-1.4 / 7, Aggregate(loss, mask, LossAggregation.Dapo, accumulated), 12);
    }

    [Fact]
    public void A_fully_masked_sequence_counts_as_zero_in_grpo_and_nothing_divides_by_zero()
    {
        using var scope = NewDisposeScope();
        var loss = T2(1, 1, 5, 5);
        var mask = T2(1, 1, 0, 0);
        Assert.Equal(0.5, Aggregate(loss, mask, LossAggregation.Grpo, new(4)), 12);     // (1 + 0) / 2
        Assert.Equal(1.0, Aggregate(loss, mask, LossAggregation.Bnpo, new(4)), 12);
        Assert.Equal(0.0, Aggregate(loss, zeros(2, 2, dtype: ScalarType.Float64), LossAggregation.Bnpo, new(4)), 12);
        Assert.Equal(0.0, Aggregate(loss, zeros(2, 2, dtype: ScalarType.Float64), LossAggregation.Dapo, new(4)), 12);
    }

    [Fact]
    public void Dapo_under_accumulation_without_a_global_count_is_refused()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() =>
            LossAggregator.Aggregate(T2(1, 1, 1, 1), T2(1, 1, 1, 1), LossAggregation.Dapo, new(4, GradientAccumulationSteps: 2)));
    }
}

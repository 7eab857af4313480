using LoraPar.Evaluation.Metrics;

namespace LoraPar.Evaluation.Tests.Metrics;

public sealed class AccuracyAggregateTests
{
    [Fact]
    public void Micro_weighs_items_and_macro_weighs_groups()
    {
        var aggregate = AccuracyAggregate.Of(
        [
            new GradedItem("a", true), new GradedItem("a", true), new GradedItem("a", false), new GradedItem("b", true),
        ]);
        Assert.Equal(0.75, aggregate.Micro.Estimate, 12);
        Assert.Equal((2.0 / 3 + 1) / 2, aggregate.Macro, 12);
        Assert.Equal([new GroupAccuracy("a", 2, 3), new GroupAccuracy("b", 1, 1)], aggregate.Groups);
    }

    [Fact]
    public void Nothing_graded_is_zero_everywhere()
    {
        var aggregate = AccuracyAggregate.Of([]);
        Assert.Equal(0, aggregate.Micro.Trials);
        Assert.Equal(0, aggregate.Macro);
        Assert.Empty(aggregate.Groups);
    }
}

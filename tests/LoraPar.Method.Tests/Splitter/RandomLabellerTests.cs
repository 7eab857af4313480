using LoraPar.Core;
using LoraPar.Method.Splitter;

namespace LoraPar.Method.Tests.Splitter;

public sealed class RandomLabellerTests
{
    private static readonly string[] Ids = Enumerable.Range(0, 101).Select(i => $"q{i}").ToArray();

    [Fact]
    public void Labels_exactly_the_rounded_fraction_system_2()
    {
        var labels = RandomLabeller.Label(Ids, 1, 0.3);
        Assert.Equal(30, labels.Count(l => l.Label == ReasoningSystem.System2)); // round(30.3)
        Assert.All(labels, l => Assert.Equal(LabelDecision.Random, l.DecidedBy));
        Assert.All(labels, l => Assert.Empty(l.Votes));
    }

    [Fact]
    public void Is_seeded_and_independent_of_input_order()
    {
        var forward = RandomLabeller.Label(Ids, 5, 0.5).ToDictionary(l => l.Id, l => l.Label);
        var backward = RandomLabeller.Label(Ids.Reverse().ToArray(), 5, 0.5).ToDictionary(l => l.Id, l => l.Label);
        var reseeded = RandomLabeller.Label(Ids, 6, 0.5).ToDictionary(l => l.Id, l => l.Label);

        Assert.Equal(forward, backward);
        Assert.NotEqual(forward, reseeded);
    }

    [Fact]
    public void Keeps_the_input_order()
    {
        Assert.Equal(Ids, RandomLabeller.Label(Ids, 5, 0.5).Select(l => l.Id));
    }
}

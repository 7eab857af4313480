using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Model.Objectives;

namespace LoraPar.Method.Tests.Importance;

public sealed class ScoringSampleTests
{
    private static AnswerExample Example(int promptLength, int responseLength, int mark) =>
        new(Enumerable.Repeat(mark, promptLength).ToList(), Enumerable.Repeat(mark, responseLength).ToList());

    [Fact]
    public void Batches_group_examples_by_length_shortest_first_and_keep_every_example_once()
    {
        var lengths = new[] { 9, 3, 7, 3, 12, 5, 8 };
        var examples = lengths.Select((l, i) => Example(l - 1, 1, mark: i + 3)).ToList();
        var sample = new ScoringSample(ReasoningSystem.System1, examples.Count, 0, Enumerable.Range(0, examples.Count).ToList(), examples);
        var batches = sample.Batches(3);
        Assert.Equal([3, 3, 1], batches.Select(b => b.Count));
        Assert.Equal([3, 3, 5, 7, 8, 9, 12], batches.SelectMany(b => b).Select(e => e.Length));
        Assert.Equal([4, 6, 8], batches[0].Select(e => e.PromptIds[0]));   // lengths 3, 3, 5: equal lengths keep their sample order
        Assert.Equal(examples.Select(e => e.PromptIds[0]).Order(), batches.SelectMany(b => b).Select(e => e.PromptIds[0]).Order());
    }
}

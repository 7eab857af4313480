using LoraPar.Model.Objectives;
using LoraPar.Pipeline.Stages.Training;

namespace LoraPar.Pipeline.Tests.Stages.Training;

public sealed class LengthWarningsTests
{
    private static AnswerExample Example(int prompt, int response) =>
        new(Enumerable.Range(1, prompt).ToArray(), Enumerable.Range(1, response).ToArray());

    [Fact]
    public void Dropped_and_cut_examples_are_counted_apart_at_the_cap()
    {
        // cap 6: (2, 3) fits, (3, 3) fits exactly, (4, 5) is cut, (6, 1) and (7, 2) lose every response token
        var examples = new[] { Example(2, 3), Example(3, 3), Example(4, 5), Example(6, 1), Example(7, 2) };
        Assert.Equal(
        [
            "2 of 5 training examples were dropped: their prompts alone fill sft.max_length = 6 tokens; raise it or shorten the prompts",
            "1 of 5 training examples were cut to sft.max_length = 6 tokens, losing the end of their responses; raise it to train on whole answers",
        ], LengthWarnings.Of(examples, 6, "sft.max_length"));
        Assert.Empty(LengthWarnings.Of(examples, 9, "sft.max_length"));
    }
}

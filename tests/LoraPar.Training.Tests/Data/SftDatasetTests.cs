using LoraPar.Model.Objectives;
using LoraPar.Training.Data;

namespace LoraPar.Training.Tests.Data;

public sealed class SftDatasetTests
{
    [Fact]
    public void Preparing_truncates_and_drops_examples_without_a_response()
    {
        AnswerExample a = new([1, 5, 6], [7, 2]), b = new([1, 8], [9, 10, 2]), c = new([1, 4], [2]);
        var dataset = SftDataset.Prepare([a, b, c], maxLength: 3);
        Assert.Equal(2, dataset.Examples.Count);
        Assert.Equal(1, dataset.Dropped);
        Assert.Equal(2, dataset.ResponseTokens);
    }
}

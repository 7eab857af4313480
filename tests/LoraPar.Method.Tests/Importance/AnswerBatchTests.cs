using LoraPar.Method.Importance;
using LoraPar.Model.Objectives;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Importance;

public sealed class AnswerBatchTests
{
    private const long Ignore = AnswerOnlyLoss.IgnoreIndex;

    public AnswerBatchTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Batches_are_right_padded_with_labels_on_response_tokens_only()
    {
        using var scope = NewDisposeScope();
        var batch = AnswerBatch.Collate([new AnswerExample([1, 4], [6]), new AnswerExample([1], [7, 8, 2])], padId: 0, CPU);
        Assert.Equal([1L, 4, 6, 0, 1, 7, 8, 2], batch.InputIds.data<long>().ToArray());
        Assert.Equal([Ignore, Ignore, 6, Ignore, Ignore, 7, 8, 2], batch.Labels.data<long>().ToArray());
    }
}

using LoraPar.Method.Importance;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Importance;

public sealed class AnswerOnlyLossTests
{
    private const long Ignore = AnswerOnlyLoss.IgnoreIndex;

    public AnswerOnlyLossTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Per_example_loss_is_the_mean_cross_entropy_of_the_response_tokens_only()
    {
        using var scope = NewDisposeScope();
        // Row 0: prompt [5], response [1, 2] → positions 0 and 1 predict labels 1 and 2.
        // Row 1: prompt [5, 6], response [0], one padding column → position 1 predicts label 0.
        var logits = tensor(new float[]
        {
            0, 1, 2,   3, 0, 0,   9, 9, 9,
            7, 7, 7,   0, 0, 2,   5, -5, 1,
        }).view(2, 3, 3);                                                                   // (B, T, V)
        var labels = tensor(new[] { Ignore, 1, 2, Ignore, Ignore, 0 }).view(2, 3);          // (B, T)
        var losses = AnswerOnlyLoss.PerExample(logits, labels).data<float>().ToArray();

        static double Nll(double[] row, int target) => Math.Log(row.Sum(Math.Exp)) - row[target];
        var row0 = (Nll([0, 1, 2], 1) + Nll([3, 0, 0], 2)) / 2;
        var row1 = Nll([0, 0, 2], 0);
        Assert.Equal(row0, losses[0], 5);
        Assert.Equal(row1, losses[1], 5);
    }

    [Fact]
    public void Logits_at_prompt_and_padding_positions_do_not_change_the_loss()
    {
        using var scope = NewDisposeScope();
        var batch = AnswerBatch.Collate([new AnswerExample([1, 4, 5], [6, 2]), new AnswerExample([1], [7])], padId: 0, CPU);
        using var generator = new Generator(5);
        var logits = randn([2, 5, 9], generator: generator);                                // (B, T, V)
        var scored = AnswerOnlyLoss.PerExample(logits, batch.Labels);
        var changed = logits.clone();
        changed[0, 0] = full(9, 100f);                                                      // row 0 predicts the prompt's 2nd token here
        changed[0, 4] = full(9, -3f);                                                       // the last column predicts nothing
        changed[1, 2] = full(9, 8f);                                                        // padding
        Assert.Equal(scored.data<float>().ToArray(), AnswerOnlyLoss.PerExample(changed, batch.Labels).data<float>().ToArray());
        changed[0, 3] = full(9, 4f);                                                        // predicts the response token 2
        Assert.NotEqual(scored[0].item<float>(), AnswerOnlyLoss.PerExample(changed, batch.Labels)[0].item<float>());
    }

    [Fact]
    public void Batches_are_right_padded_with_labels_on_response_tokens_only()
    {
        using var scope = NewDisposeScope();
        var batch = AnswerBatch.Collate([new AnswerExample([1, 4], [6]), new AnswerExample([1], [7, 8, 2])], padId: 0, CPU);
        Assert.Equal([1L, 4, 6, 0, 1, 7, 8, 2], batch.InputIds.data<long>().ToArray());
        Assert.Equal([Ignore, Ignore, 6, Ignore, Ignore, 7, 8, 2], batch.Labels.data<long>().ToArray());
    }

    [Fact]
    public void Fitting_truncates_the_response_and_drops_examples_without_a_response_token()
    {
        var example = new AnswerExample([1, 2, 3], [4, 5, 6]);
        Assert.Same(example, example.Fitted(6));
        Assert.Equal([4], example.Fitted(4)!.ResponseIds);
        Assert.Null(example.Fitted(3));
        Assert.Null(new AnswerExample([1], []).Fitted(8));
        Assert.Null(new AnswerExample([], [4]).Fitted(8));
    }
}

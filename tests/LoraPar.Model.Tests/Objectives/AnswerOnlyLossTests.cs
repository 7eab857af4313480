using LoraPar.Model.Objectives;
using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Tests.Objectives;

/// <summary>
/// Hand case: B = 1, T = 5, V = 3, labels [−100, −100, 1, 2, −100] (two prompt tokens, two answer tokens, one pad).
/// Position 1 predicts label 1 from logits [0, ln 2, 0] → p = 1/2, loss ln 2; position 2 predicts label 2 from
/// [0, 0, ln 3] → p = 3/5, loss ln(5/3). Positions 0, 3 and 4 carry huge logits that would dominate if they counted.
/// </summary>
public sealed class AnswerOnlyLossTests
{
    private const long Ignore = AnswerOnlyLoss.IgnoreIndex;
    private static readonly double Expected = Math.Log(2) + Math.Log(5.0 / 3);

    public AnswerOnlyLossTests() => TorchRuntime.EnsureInitialized();

    private static Tensor Logits() => tensor(new[]
    {
        50f, -50f, 0f,                  // t = 0 → would predict the prompt's second token: ignored
        0f, (float)Math.Log(2), 0f,     // t = 1 → label 1
        0f, 0f, (float)Math.Log(3),     // t = 2 → label 2
        -50f, 50f, 0f,                  // t = 3 → padding: ignored
        9f, 9f, -9f,                    // t = 4 → nothing to predict
    }).reshape(1, 5, 3);                                                                  // (B, T, V)

    private static Tensor Labels() => tensor(new long[] { -100, -100, 1, 2, -100 }).reshape(1, 5);   // (B, T)

    [Fact]
    public void Sum_and_mean_count_only_answer_tokens()
    {
        using var scope = NewDisposeScope();
        var (sum, tokens) = AnswerOnlyLoss.Sum(Logits(), Labels());
        Assert.Equal(2, tokens);
        Assert.Equal(Expected, sum.item<float>(), 5);
        Assert.Equal(Expected / 2, AnswerOnlyLoss.Mean(Logits(), Labels()).item<float>(), 5);
    }

    [Fact]
    public void Prompt_and_padding_positions_get_no_gradient()
    {
        using var scope = NewDisposeScope();
        var logits = Logits().requires_grad_(true);
        AnswerOnlyLoss.Mean(logits, Labels()).backward();
        var perPosition = logits.grad!.abs().sum(dim: 2).squeeze(0).data<float>().ToArray();   // (T)
        Assert.Equal(0f, perPosition[0]);
        Assert.True(perPosition[1] > 0 && perPosition[2] > 0);
        Assert.Equal(0f, perPosition[3]);
        Assert.Equal(0f, perPosition[4]);
    }

    [Fact]
    public void Changing_prompt_or_padding_logits_leaves_the_loss_unchanged()
    {
        using var scope = NewDisposeScope();
        var changed = Logits().clone();
        changed[0, 0] = tensor(new[] { -7f, 3f, 11f });
        changed[0, 3] = tensor(new[] { 1f, 2f, 3f });
        Assert.Equal(Expected, AnswerOnlyLoss.Sum(changed, Labels()).Sum.item<float>(), 5);
    }

    [Fact]
    public void A_batch_without_answer_tokens_has_zero_loss()
    {
        using var scope = NewDisposeScope();
        var labels = full(1, 5, AnswerOnlyLoss.IgnoreIndex, ScalarType.Int64);
        var (sum, tokens) = AnswerOnlyLoss.Sum(Logits(), labels);
        Assert.Equal(0, tokens);
        Assert.Equal(0f, sum.item<float>());
        Assert.Equal(0f, AnswerOnlyLoss.Mean(Logits(), labels).item<float>());
    }

    [Fact]
    public void Labels_mask_prompt_and_padding()
    {
        Assert.Equal(new long[] { -100, -100, 7, 2, -100, -100 }, AnswerOnlyLoss.Labels([1, 5, 7, 2], 2, 2, 2));
    }

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
    public void Per_example_logits_at_prompt_and_padding_positions_do_not_change_the_loss()
    {
        using var scope = NewDisposeScope();
        // Row 0: prompt [1, 4, 5], response [6, 2]; row 1: prompt [1], response [7], three padding columns.
        var labels = tensor(new[] { Ignore, Ignore, Ignore, 6, 2, Ignore, 7, Ignore, Ignore, Ignore }).view(2, 5);   // (B, T)
        using var generator = new Generator(5);
        var logits = randn([2, 5, 9], generator: generator);                                // (B, T, V)
        var scored = AnswerOnlyLoss.PerExample(logits, labels);
        var changed = logits.clone();
        changed[0, 0] = full(9, 100f);                                                      // row 0 predicts the prompt's 2nd token here
        changed[0, 4] = full(9, -3f);                                                       // the last column predicts nothing
        changed[1, 2] = full(9, 8f);                                                        // padding
        Assert.Equal(scored.data<float>().ToArray(), AnswerOnlyLoss.PerExample(changed, labels).data<float>().ToArray());
        changed[0, 3] = full(9, 4f);                                                        // predicts the response token 2
        Assert.NotEqual(scored[0].item<float>(), AnswerOnlyLoss.PerExample(changed, labels)[0].item<float>());
    }
}

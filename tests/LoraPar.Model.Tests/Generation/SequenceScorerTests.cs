using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using TorchSharp;

namespace LoraPar.Model.Tests.Generation;

public sealed class SequenceScorerTests : TorchTest
{
    [Fact]
    public void Completion_batches_left_pad_prompts_and_right_pad_completions()
    {
        var batch = CompletionBatch.Create([[1, 5], [1]], [[7], [8, 9]], padId: 0, torch.CPU);
        Assert.Equal(2, batch.PromptLength);
        Assert.Equal([1L, 5, 7, 0, 0, 1, 8, 9], batch.InputIds.data<long>().ToArray());
        Assert.Equal([true, true, true, false, false, true, true, true], batch.AttentionMask.data<bool>().ToArray());
        Assert.Equal([true, false, true, true], batch.CompletionMask.data<bool>().ToArray());
    }

    [Fact]
    public void Log_likelihood_is_the_sum_of_next_token_log_softmax_over_the_continuation()
    {
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(40, hidden: 32, heads: 4, kvHeads: 2), seed: 31);
        var tokenizer = new TestTokenizer(40);
        var scorer = new SequenceScorer(model, tokenizer, batchSize: 2);
        var requests = new[] { new ScoringRequest("ABC", "DEF"), new ScoringRequest("XYZZY", "Q"), new ScoringRequest("A", "BCDEFG") };
        var scores = scorer.LogLikelihood(requests);
        using var scope = torch.NewDisposeScope();
        for (var i = 0; i < requests.Length; i++)
        {
            var whole = tokenizer.Encode(requests[i].Context + requests[i].Continuation);
            var context = tokenizer.Encode(requests[i].Context).Count;
            var logProbs = model.call(torch.tensor(whole.Select(x => (long)x).ToArray()).view(1, -1)).log_softmax(-1);   // (1, T, V)
            var expected = Enumerable.Range(context, whole.Count - context).Sum(t => logProbs[0, t - 1, whole[t]].item<float>());
            Assert.Equal(expected, scores[i], 3);
        }
    }

    [Fact]
    public void Teacher_forced_log_probs_carry_gradients_to_the_parameters()
    {
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(40, hidden: 32, heads: 4, kvHeads: 2), seed: 32);
        using var scope = torch.NewDisposeScope();
        var batch = CompletionBatch.Create([[1, 5, 6], [1]], [[7, 8], [9]], 0, torch.CPU);
        var loss = -SequenceScorer.TokenLogProbs(model, batch).sum();
        loss.backward();
        var grad = model.model.layers[0].self_attn.q_proj.parameters().First().grad;
        Assert.NotNull(grad);
        Assert.True(grad!.abs().sum().item<float>() > 0);
    }
}

using LoraPar.Model.Objectives;
using LoraPar.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Sft;

/// <summary>The mean answer-token loss of a model on held-out examples (eval mode, no gradient).</summary>
public static class SftEvaluator
{
    /// <summary>
    /// Σ answer-token loss / answer tokens over <paramref name="examples"/>, in micro-batches of <paramref name="batchSize"/>
    /// rows sorted by length; the model's train/eval mode is restored afterwards.
    /// </summary>
    public static (double Loss, long Tokens) Loss(nn.Module<Tensor, Tensor> model, IReadOnlyList<AnswerExample> examples, int batchSize,
        int padId, Device device)
    {
        if (examples.Count == 0) return (double.NaN, 0);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var order = Enumerable.Range(0, examples.Count).OrderBy(i => examples[i].Length).ToList();
            double sum = 0;
            long tokens = 0;
            foreach (var chunk in order.Chunk(batchSize))
            {
                using var scope = NewDisposeScope();
                var batch = SftBatcher.Collate(examples, new SftBatchPlan(chunk.Select(i => (IReadOnlyList<int>)[i]).ToList()), padId, device);
                var logits = model.call(batch.InputIds);                                   // (B, T, V)
                var result = AnswerOnlyLoss.Sum(logits, batch.Labels);
                sum += result.Sum.item<float>();
                tokens += result.Tokens;
            }
            return (tokens == 0 ? double.NaN : sum / tokens, tokens);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}

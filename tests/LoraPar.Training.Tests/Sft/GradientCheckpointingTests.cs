using LoraPar.Model.Llama;
using LoraPar.Model.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Sft;

/// <summary>
/// Recomputing each decoder layer in backward (<see cref="LayerCheckpoint"/>) gives the plain path's loss and LoRA gradients
/// to 1e-6 — also with LoRA dropout in training mode, where the recompute must replay the forward's masks.
/// </summary>
public sealed class GradientCheckpointingTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void Recomputed_layers_give_the_plain_paths_loss_and_lora_gradients(double dropout)
    {
        using var lm = new TinyLm(seed: 5, dropout: dropout);
        lm.Model.train();
        var (plainLoss, plain) = LossAndGradients(lm, recompute: false);
        var (recomputedLoss, recomputed) = LossAndGradients(lm, recompute: true);
        Assert.Equal(plainLoss, recomputedLoss, 1e-6);
        Assert.NotEmpty(plain);
        foreach (var (key, gradient) in plain)
        {
            Assert.True(gradient.abs().max().item<float>() > 0, $"{key}: the plain gradient is zero, so the comparison would prove nothing");
            var difference = (gradient - recomputed[key]).abs().max().item<float>();
            Assert.True(difference <= 1e-6, $"{key}: gradients differ by {difference}");
        }
    }

    [Fact]
    public void A_bfloat16_base_recomputes_to_its_own_gradients_and_tracks_the_float32_base()
    {
        // bf16 keeps 8 significant bits, so the bf16 base's LoRA gradients are held to 5% of the largest float32 gradient of
        // each tensor (relative error of a handful of bf16 roundings per layer), while recomputation repeats the same bf16
        // kernels and is held to 1e-6 like the float32 path.
        using var fp32 = new TinyLm(seed: 8);
        using var bf16 = new TinyLm(seed: 8, dtype: ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, bf16.Model.DType);
        var (_, reference) = LossAndGradients(fp32, recompute: false);
        var (_, plain) = LossAndGradients(bf16, recompute: false);
        var (_, recomputed) = LossAndGradients(bf16, recompute: true);
        foreach (var (key, gradient) in reference)
        {
            Assert.Equal(ScalarType.Float32, plain[key].dtype);
            Assert.True((plain[key] - recomputed[key]).abs().max().item<float>() <= 1e-6, $"{key}: recomputed bf16 gradients differ");
            var scale = gradient.abs().max().item<float>();
            Assert.True((plain[key] - gradient).abs().max().item<float>() <= 0.05 * scale, $"{key}: bf16 gradients stray from float32");
        }
    }

    [Fact]
    public void Recomputation_is_used_only_while_switched_on_and_is_switched_back_off()
    {
        using var lm = new TinyLm(seed: 6);
        Assert.False(lm.Model.model.GradientCheckpointing);
        using (LayerCheckpoint.During(lm.Model, on: true)) Assert.True(lm.Model.model.GradientCheckpointing);
        Assert.False(lm.Model.model.GradientCheckpointing);
        Assert.Null(LayerCheckpoint.During(lm.Model, on: false));
    }

    private static (double Loss, Dictionary<string, Tensor> Gradients) LossAndGradients(TinyLm lm, bool recompute)
    {
        foreach (var p in lm.Adapters.Tensors.Values) p.grad = null;
        torch.random.manual_seed(77);
        double loss;
        using (LayerCheckpoint.During(lm.Model, recompute))
        using (var scope = NewDisposeScope())
        {
            var examples = lm.Examples().Take(4).ToList();
            var width = examples.Max(e => e.Length);
            var ids = new List<long>();
            var labels = new List<long>();
            foreach (var e in examples)
            {
                var sequence = e.PromptIds.Concat(e.ResponseIds).ToList();
                ids.AddRange(sequence.Select(i => (long)i).Concat(Enumerable.Repeat(0L, width - e.Length)));
                labels.AddRange(AnswerOnlyLoss.Labels(sequence, e.PromptIds.Count, e.ResponseIds.Count, width - e.Length));
            }
            var input = torch.tensor(ids.ToArray()).view(examples.Count, width);                 // (B, T)
            var target = torch.tensor(labels.ToArray()).view(examples.Count, width);             // (B, T)
            var value = AnswerOnlyLoss.PerExample(lm.Model.call(input), target).sum();
            value.backward();
            loss = value.item<float>();
        }
        var gradients = lm.Adapters.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.grad!.detach().clone());
        return (loss, gradients);
    }
}

using LoraPar.Core;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Sft;

[Collection(GlobalRngCollection.Name)]
public sealed class SftGuardTests
{
    [Fact]
    public void A_nan_loss_stops_the_stage_naming_the_step_and_keeping_the_last_good_checkpoint()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        var poisoned = new PoisonedLm(lm.Model, poisonCall: 4);
        var options = new SftOptions { GradientAccumulationSteps = 1, MaxSteps = 6, CheckpointEvery = 2, Batching = new() { BatchSize = 4, MaxLength = 32 } };
        var trainer = new SftTrainer(poisoned, lm.Adapters, lm.Masks, options);
        var before = lm.Snapshot();

        var error = Assert.Throws<JobFailedException>(() => trainer.Train(new SftData(lm.Examples(), [], lm.Tokenizer.PadId), new TrainingRun(dir.Path, "tiny")));

        Assert.Contains("sft: the loss became NaN at step 4 of 6", error.Message);
        var kept = Path.Combine(dir.Path, TrainingCheckpoint.FolderName(2));
        Assert.Contains(kept, error.Message);
        Assert.Equal(kept, TrainingCheckpoint.Latest(dir.Path));
        Assert.All(lm.Adapters.Tensors.Values, t => Assert.False(t.detach().isnan().any().item<bool>()));
        Assert.Contains(lm.Adapters.Tensors, kv => !kv.Value.detach().equal(before[kv.Key]).all().item<bool>());
    }

    [Fact]
    public void A_nan_gradient_stops_the_stage_naming_the_step()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        var poisoned = new PoisonedLm(lm.Model, poisonCall: 2, gradientOnly: true);
        var options = new SftOptions { GradientAccumulationSteps = 1, MaxSteps = 3, Batching = new() { BatchSize = 4, MaxLength = 32 } };
        var error = Assert.Throws<JobFailedException>(() => new SftTrainer(poisoned, lm.Adapters, lm.Masks, options)
            .Train(new SftData(lm.Examples(), [], lm.Tokenizer.PadId), new TrainingRun(dir.Path, "tiny")));
        Assert.Contains("gradient norm became NaN at step 2 of 3", error.Message);
        Assert.Contains("No checkpoint had been written yet", error.Message);
    }

    /// <summary>Wraps a causal LM; on forward call number <c>poisonCall</c> the logits (or only their gradient) become NaN.</summary>
    private sealed class PoisonedLm : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> inner;
        private readonly int poisonCall;
        private readonly bool gradientOnly;
        private int calls;

        public PoisonedLm(nn.Module<Tensor, Tensor> inner, int poisonCall, bool gradientOnly = false) : base(nameof(PoisonedLm))
        {
            this.inner = inner;
            this.poisonCall = poisonCall;
            this.gradientOnly = gradientOnly;
            RegisterComponents();
        }

        public override Tensor forward(Tensor ids)
        {
            var logits = inner.call(ids);                                                  // (B, T, V)
            if (++calls != poisonCall) return logits;
            if (!gradientOnly) return logits * float.NaN;
            // sqrt at a zero point: the value is unchanged, the derivative is infinite (0 · ∞ = NaN downstream).
            var zero = logits.detach().mul(0).requires_grad_(false);
            return logits + (logits - logits.detach() + zero).abs().sqrt();
        }
    }
}

using LoraPar.Adapters.Peft;
using LoraPar.Core;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Sft;

[Collection(GlobalRngCollection.Name)]
public sealed class SftResumeTests
{
    private static SftOptions Options() => new()
    {
        LearningRate = 2e-2, WarmupRatio = 0.2, GradientAccumulationSteps = 2, MaxSteps = 7, CheckpointEvery = 3, Seed = 9,
        WeightDecay = 0.01, Batching = new() { BatchSize = 3, MaxLength = 32 },
    };

    [Fact]
    public void Interrupted_at_step_k_then_resumed_ends_bit_identical_to_uninterrupted()
    {
        using var dir = new TempFolder();
        var straight = Run(dir.Sub("straight"), interruptAfter: null);

        var interrupted = dir.Sub("interrupted");
        Assert.Throws<StepCanceledException>(() => Run(interrupted, interruptAfter: 5));
        Assert.Equal("step-000005", Path.GetFileName(TrainingCheckpoint.Latest(interrupted)));   // the cancellation checkpointed step 5
        Assert.True(Directory.Exists(Path.Combine(interrupted, "step-000003")));                   // beside the cadence's
        var resumed = Run(interrupted, interruptAfter: null);

        Assert.Equal(5, resumed.Result.ResumedFromStep);
        Assert.Equal(straight.Result.StepLosses.Skip(5), resumed.Result.StepLosses);
        foreach (var file in new[] { "adapter/" + PeftAdapterFormat.WeightsFileName, TrainingCheckpoint.OptimizerFile, TrainingCheckpoint.MasksFile })
            Assert.Equal(File.ReadAllBytes(Path.Combine(straight.Result.FinalCheckpoint, file)), File.ReadAllBytes(Path.Combine(resumed.Result.FinalCheckpoint, file)));
        foreach (var (key, value) in straight.Final)
            Assert.Equal(value.bytes.ToArray(), resumed.Final[key].bytes.ToArray());
    }

    [Fact]
    public void Running_a_finished_stage_again_trains_nothing_and_returns_the_final_checkpoint()
    {
        using var dir = new TempFolder();
        var first = Run(dir.Path, interruptAfter: null);
        var again = Run(dir.Path, interruptAfter: null);
        Assert.Equal(7, again.Result.ResumedFromStep);
        Assert.Empty(again.Result.StepLosses);
        Assert.True(double.IsFinite(first.Result.FinalLoss));
        Assert.Equal(first.Result.FinalLoss, again.Result.FinalLoss);                 // the last step log travels in the checkpoint
        Assert.Equal(first.Result.FinalCheckpoint, again.Result.FinalCheckpoint);
        foreach (var (key, value) in first.Final) Assert.Equal(value.bytes.ToArray(), again.Final[key].bytes.ToArray());
    }

    [Fact]
    public void A_checkpoint_of_another_mask_is_refused()
    {
        using var dir = new TempFolder();
        Run(dir.Path, interruptAfter: null);
        using var lm = new TinyLm(dropout: 0.1, activeFraction: 0.5);
        var trainer = new SftTrainer(lm.Model, lm.Adapters, lm.Masks, Options());
        var error = Assert.Throws<BadInputException>(() => trainer.Train(new SftData(lm.Examples(), [], lm.Tokenizer.PadId), new TrainingRun(dir.Path, "tiny")));
        Assert.Contains("different mask", error.Message);
    }

    private static (SftResult Result, Dictionary<string, Tensor> Final) Run(string checkpoints, int? interruptAfter)
    {
        using var lm = new TinyLm(dropout: 0.1);
        using var cancel = new CancellationTokenSource();
        var monitor = new SftTrainerTests.Recorder { AfterStep = log => { if (log.Step == interruptAfter) cancel.Cancel(); } };
        var result = new SftTrainer(lm.Model, lm.Adapters, lm.Masks, Options())
            .Train(new SftData(lm.Examples(), [], lm.Tokenizer.PadId), new TrainingRun(checkpoints, "tiny"), monitor, cancel.Token);
        return (result, lm.Snapshot());
    }
}

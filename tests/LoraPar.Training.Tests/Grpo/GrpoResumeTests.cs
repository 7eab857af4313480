using LoraPar.Adapters.Peft;
using LoraPar.Core;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Grpo;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Grpo;

[Collection(GlobalRngCollection.Name)]
public sealed class GrpoResumeTests
{
    private static GrpoOptions Options() => ToyGrpo.Options(steps: 8) with
    {
        NumIterations = 2, CheckpointEvery = 2, PromptsPerBatch = 1, GradientAccumulationSteps = 2, WeightDecay = 0.1,
        Loss = new() { Beta = 0.04, EpsilonHigh = 0.28 },
    };

    [Fact]
    public void Interrupted_then_resumed_ends_bit_identical_to_uninterrupted()
    {
        using var dir = new TempFolder();
        var straight = Run(dir.Sub("straight"), interruptAfter: null);

        var interrupted = dir.Sub("interrupted");
        Assert.Throws<StepCanceledException>(() => Run(interrupted, interruptAfter: 5));
        Assert.Equal("step-000004", Path.GetFileName(TrainingCheckpoint.Latest(interrupted)));
        var resumed = Run(interrupted, interruptAfter: null);

        Assert.Equal(4, resumed.Result.ResumedFromStep);
        Assert.NotNull(straight.Result.FirstRollout);
        Assert.Equal(straight.Result.FirstRollout, resumed.Result.FirstRollout);   // carried by the checkpoint
        Assert.Equal(straight.Result.LastRollout, resumed.Result.LastRollout);
        Assert.Equal(Figures(straight.Result.History.Skip(4)), Figures(resumed.Result.History));
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
        Assert.Equal(8, again.Result.ResumedFromStep);
        Assert.Empty(again.Result.History);
        Assert.NotNull(first.Result.LastRollout);
        Assert.Equal((first.Result.FirstRollout, first.Result.LastRollout), (again.Result.FirstRollout, again.Result.LastRollout));
        Assert.Equal(first.Result.FinalCheckpoint, again.Result.FinalCheckpoint);
        foreach (var (key, value) in first.Final) Assert.Equal(value.bytes.ToArray(), again.Final[key].bytes.ToArray());
    }

    private static IEnumerable<string> Figures(IEnumerable<GrpoStepRecord> history) =>
        history.Select(h => FormattableString.Invariant($"{h.Step} {h.Rollout} {h.Loss:R} {h.GradNorm:R} {h.Kl:R} {h.ClipFraction:R} {h.Sampled?.Total.Mean:R}"));

    private static (GrpoResult Result, Dictionary<string, Tensor> Final) Run(string checkpoints, int? interruptAfter)
    {
        using var lm = new TinyLm(dropout: 0.1);
        using var mask = ToyGrpo.Stage2Mask(lm);
        using var cancel = new CancellationTokenSource();
        var monitor = new GrpoRecorder { AfterStep = log => { if (log.Step == interruptAfter) cancel.Cancel(); } };
        var options = Options();
        var result = new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, mask, options, ToyGrpo.Reward(options))
            .Train(ToyGrpo.Data(), new TrainingRun(checkpoints, "tiny"), monitor, cancel.Token);
        return (result, lm.Snapshot());
    }
}

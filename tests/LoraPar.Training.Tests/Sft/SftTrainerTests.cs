using LoraPar.Core;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Sft;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Sft;

[Collection(GlobalRngCollection.Name)]
public sealed class SftTrainerTests
{
    private static SftOptions Options(int steps) => new()
    {
        LearningRate = 2e-2, WarmupRatio = 0.1, GradientAccumulationSteps = 2, MaxSteps = steps, Seed = 5,
        Batching = new() { BatchSize = 4, MaxLength = 32 },
    };

    [Fact]
    public void Sft_lowers_the_answer_loss_on_a_small_fixed_dataset()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        var examples = lm.Examples();
        var trainer = new SftTrainer(lm.Model, lm.Adapters, lm.Masks, Options(20) with { LearningRate = 5e-2, GradientAccumulationSteps = 1 });
        var before = trainer.EvaluationLoss(examples, lm.Tokenizer.PadId);
        var result = trainer.Train(new SftData(examples, examples, lm.Tokenizer.PadId), new TrainingRun(dir.Sub("ckpt"), "tiny"));
        Assert.Equal(20, result.Steps);
        Assert.Equal(20, result.StepLosses.Count);
        Assert.True(result.FinalEvalLoss < 0.7 * before, $"eval loss {before:0.000} → {result.FinalEvalLoss:0.000}; steps {string.Join(" ", result.StepLosses.Select(l => l.ToString("0.000")))}");
        Assert.Equal(result.FinalEvalLoss!.Value, trainer.EvaluationLoss(examples, lm.Tokenizer.PadId), 6);
        Assert.True(Directory.Exists(Path.Combine(result.FinalCheckpoint, TrainingCheckpoint.AdapterFolder)));
    }

    [Fact]
    public void Frozen_elements_are_bit_identical_after_the_stage_and_active_ones_moved()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        var start = lm.Snapshot();
        var result = new SftTrainer(lm.Model, lm.Adapters, lm.Masks, Options(6) with { WeightDecay = 0.1 })
            .Train(new SftData(lm.Examples(), [], lm.Tokenizer.PadId), new TrainingRun(dir.Sub("ckpt"), "tiny"));
        long movedActive = 0;
        foreach (var (key, now) in lm.Adapters.Tensors)
        {
            var mask = lm.Masks.Masks[key];
            Assert.True(now.detach().masked_select(mask.logical_not()).eq(start[key].masked_select(mask.logical_not())).all().item<bool>(), key);
            movedActive += now.detach().masked_select(mask).ne(start[key].masked_select(mask)).sum().item<long>();
        }
        Assert.True(movedActive > lm.Masks.TotalActive / 2, $"{movedActive} of {lm.Masks.TotalActive} active elements moved");
        Assert.Equal(lm.Masks.TotalElements - lm.Masks.TotalActive, result.FrozenElementsChecked);
        Assert.Equal(lm.Masks.TotalActive, result.TrainableElements);
    }

    [Fact]
    public void The_end_of_stage_check_fails_loudly_when_a_frozen_element_moved()
    {
        using var lm = new TinyLm();
        using var guard = FrozenElementGuard.Capture(lm.Adapters.Tensors, lm.Masks);
        var (key, tensor) = lm.Adapters.Tensors.First();
        var frozenIndex = lm.Masks.Masks[key].logical_not().reshape(-1).nonzero()[0].item<long>();
        using (no_grad()) tensor.view(-1)[frozenIndex] = tensor.view(-1)[frozenIndex] + 1e-3f;
        var error = Assert.Throws<JobFailedException>(() => guard.Verify(lm.Adapters.Tensors, "sft, end of stage"));
        Assert.Contains(key, error.Message);
        Assert.Contains("1 elements", error.Message);
    }

    [Fact]
    public void An_empty_training_split_is_bad_input()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        var trainer = new SftTrainer(lm.Model, lm.Adapters, lm.Masks, Options(2));
        var error = Assert.Throws<BadInputException>(() => trainer.Train(new SftData([], [], 0), new TrainingRun(dir.Path, "tiny")));
        Assert.Contains("training split is empty", error.Message);
    }

    [Fact]
    public void Logs_come_every_n_steps_with_loss_lr_grad_norm_and_throughput()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        var monitor = new Recorder();
        new SftTrainer(lm.Model, lm.Adapters, lm.Masks, Options(7) with { LogEvery = 3, EvalEvery = 4, CheckpointEvery = 2, KeepCheckpoints = 2 })
            .Train(new SftData(lm.Examples(), lm.Examples().Take(5).ToList(), lm.Tokenizer.PadId), new TrainingRun(dir.Path, "tiny"), monitor);
        Assert.Equal(new[] { 3, 6, 7 }, monitor.Steps.Select(s => s.Step));
        Assert.All(monitor.Steps, s => Assert.True(s.Loss > 0 && s.GradNorm > 0 && s.TokensPerSecond > 0 && s.LearningRate > 0));
        Assert.Equal(new[] { 4, 7 }, monitor.Evaluations.Select(e => e.Step));
        Assert.Equal(new[] { 6, 7 }, monitor.Checkpoints.Select(c => c.Step));   // checkpoint_every 2, but only where a log was just written
        Assert.Equal(new[] { "step-000006", "step-000007" }, Directory.GetDirectories(dir.Path).Select(Path.GetFileName).Order());
    }

    internal sealed class Recorder : ITrainingMonitor
    {
        public List<StepLog> Steps { get; } = [];
        public List<EvaluationLog> Evaluations { get; } = [];
        public List<CheckpointLog> Checkpoints { get; } = [];
        public Action<StepLog>? AfterStep { get; init; }

        public void OnStep(StepLog log)
        {
            Steps.Add(log);
            AfterStep?.Invoke(log);
        }

        public void OnEvaluation(EvaluationLog log) => Evaluations.Add(log);

        public void OnCheckpoint(CheckpointLog log) => Checkpoints.Add(log);
    }
}

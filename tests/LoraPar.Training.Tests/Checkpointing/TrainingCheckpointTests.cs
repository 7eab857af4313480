using LoraPar.Adapters.Masks;
using LoraPar.Core;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Monitoring;

namespace LoraPar.Training.Tests.Checkpointing;

public sealed class TrainingCheckpointTests
{
    private static TrainerState State(int step) => new()
    {
        Stage = "sft", Step = step, TotalSteps = 10, Epoch = 1, Seed = 3, LearningRate = 1e-4, LossScale = 1024, LossScaleCleanSteps = 5,
        Metrics = new Dictionary<string, double> { ["loss"] = 1.25 },
        Log = [new StepLog("sft", 1, 10, 0, 0.1 + 0.2, 1e-4 / 3, double.NaN, 12.5, 40, new Dictionary<string, double> { ["reward"] = 1.0 / 3 })],
    };

    [Fact]
    public void Checkpoints_are_written_whole_found_newest_first_pruned_and_restored()
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        using var optimizer = new MaskedAdamW(lm.Adapters.Tensors, lm.Masks, new AdamWOptions());
        var content = new CheckpointContent(lm.Adapters, lm.Masks, optimizer, "tiny");
        foreach (var step in new[] { 2, 4, 6 }) TrainingCheckpoint.Save(dir.Path, content, State(step));
        TrainingCheckpoint.Save(dir.Path, content, State(6));                       // rewriting a step replaces it
        Directory.CreateDirectory(dir.Sub("step-000009"));                          // no trainer_state.json: incomplete, ignored
        Assert.Equal(dir.Sub("step-000006"), TrainingCheckpoint.Latest(dir.Path));
        TrainingCheckpoint.Prune(dir.Path, keep: 2);
        Assert.Equal(new[] { "step-000004", "step-000006", "step-000009" }, Directory.GetDirectories(dir.Path).Select(Path.GetFileName).Order());
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path), e => Path.GetFileName(e).StartsWith('.'));
        var restored = TrainingCheckpoint.Restore(dir.Sub("step-000006"), content);
        var metrics = restored.Metrics;
        Assert.Empty(restored.StepLosses);
        Assert.Equal(State(6) with { Metrics = metrics, Log = restored.Log, StepLosses = restored.StepLosses }, restored);
        Assert.Equal(1.25, metrics["loss"]);
        var (saved, log) = (Assert.Single(State(6).Log), Assert.Single(restored.Log));   // the step logs round-trip exactly
        Assert.Equal(saved with { Extra = log.Extra }, log);
        Assert.Equal(saved.Extra, log.Extra);
    }

    [Fact]
    public void A_malformed_or_foreign_state_file_is_bad_input_naming_the_file()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.Sub("a.json"), "{ \"stage\": ");
        Assert.Contains(dir.Sub("a.json"), Assert.Throws<BadInputException>(() => TrainerState.Load(dir.Sub("a.json"))).Message);
        File.WriteAllText(dir.Sub("b.json"), (State(1) with { Format = "other/9" }).ToJson());
        Assert.Contains("format 'other/9'", Assert.Throws<BadInputException>(() => TrainerState.Load(dir.Sub("b.json"))).Message);
        File.WriteAllText(dir.Sub("c.json"), State(1).ToJson());
        Assert.Equal(3, TrainerState.Load(dir.Sub("c.json")).Seed);
    }
}

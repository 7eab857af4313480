using LoraPar.Core;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Pretraining;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Pretraining;

/// <summary>
/// Pretraining stopped between steps (Ctrl-C) or after any checkpoint continues from the newest checkpoint and saves the
/// same bytes as a run that was never stopped: weights, AdamW moments and the data position all come back.
/// </summary>
[Collection(GlobalRngCollection.Name)]
public sealed class PretrainResumeTests
{
    private static readonly CharTokenizer Tokenizer = PretrainerTests.Tokenizer;

    private static readonly PretrainOptions Tiny = PretrainerTests.Tiny with { BatchSize = 4, Steps = 8, LogEvery = 1 };

    public PretrainResumeTests() => TorchRuntime.EnsureInitialized();

    private static IEnumerable<string> Corpus() => PretrainerTests.Corpus();

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void A_run_cancelled_after_a_step_checkpoints_there_and_the_resumed_run_saves_the_uninterrupted_bytes(int stopAfter)
    {
        using var dir = new TempFolder();
        var expected = TrainAndSave(dir.Sub("whole"), null);
        var checkpoints = new PretrainCheckpointing(dir.Sub("checkpoints"), new CheckpointCadence(TimeSpan.MaxValue));
        using var cancel = new CancellationTokenSource();
        var stopper = new StopAfter(stopAfter, cancel);
        Assert.ThrowsAny<OperationCanceledException>(() => Pretrainer.Train(Corpus(), Tokenizer, Tiny, CPU, stopper, cancel.Token, checkpoints));
        Assert.Equal(stopAfter, Assert.Single(stopper.Checkpoints));                  // the interrupt wrote the only checkpoint
        var resumed = new StopAfter(int.MaxValue, null);
        var actual = TrainAndSave(dir.Sub("resumed"), checkpoints, resumed);
        Assert.Equal(stopAfter, resumed.ResumedAt);
        Assert.Equal(Tiny.Steps, resumed.Checkpoints.Last());
        AssertSameFiles(expected, actual);
    }

    [Fact]
    public void A_run_resumed_after_its_last_checkpoint_runs_no_step_and_saves_the_uninterrupted_bytes()
    {
        using var dir = new TempFolder();
        var checkpoints = new PretrainCheckpointing(dir.Sub("checkpoints"), CheckpointCadence.Minutes(0), Keep: 2);
        var expected = TrainAndSave(dir.Sub("whole"), checkpoints);
        Assert.Equal(2, Directory.GetDirectories(checkpoints.Directory, "step-*").Length);   // pruned to the newest two
        var again = new StopAfter(int.MaxValue, null);
        var actual = TrainAndSave(dir.Sub("again"), checkpoints, again);
        Assert.Equal(Tiny.Steps, again.ResumedAt);
        Assert.Empty(again.Steps);
        AssertSameFiles(expected, actual);
    }

    [Fact]
    public void A_checkpoint_of_another_step_count_is_refused_naming_the_folder()
    {
        using var dir = new TempFolder();
        var checkpoints = new PretrainCheckpointing(dir.Sub("checkpoints"), CheckpointCadence.Minutes(0));
        using (Pretrainer.Train(Corpus(), Tokenizer, Tiny with { Steps = 2 }, CPU, checkpoints: checkpoints)) { }
        var e = Assert.Throws<BadInputException>(() => Pretrainer.Train(Corpus(), Tokenizer, Tiny, CPU, checkpoints: checkpoints));
        Assert.Contains("for 2 steps", e.Message);
        Assert.Contains("delete " + checkpoints.Directory, e.Message);
    }

    private static string TrainAndSave(string folder, PretrainCheckpointing? checkpoints, ITrainingMonitor? monitor = null)
    {
        using var trained = Pretrainer.Train(Corpus(), Tokenizer, Tiny, CPU, monitor, default, checkpoints);
        trained.Save(folder);
        File.WriteAllText(Path.Combine(folder, "losses.txt"), string.Join('\n', trained.Report.StepLosses.Select(l => l.ToString("R"))));
        return folder;
    }

    private static void AssertSameFiles(string expected, string actual)
    {
        var names = Directory.GetFiles(expected).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(names, Directory.GetFiles(actual).Select(Path.GetFileName).Order().ToList());
        Assert.Contains("model.safetensors", names);
        foreach (var name in names)
            Assert.True(File.ReadAllBytes(Path.Combine(expected, name!)).SequenceEqual(File.ReadAllBytes(Path.Combine(actual, name!))), name);
    }

    /// <summary>Cancels after step <c>stop</c> (1-based) and records steps, checkpoints and the resumed step.</summary>
    private sealed class StopAfter(int stop, CancellationTokenSource? cancel) : ITrainingMonitor
    {
        public List<int> Steps { get; } = [];
        public List<int> Checkpoints { get; } = [];
        public int? ResumedAt { get; private set; }

        public void OnStep(StepLog log)
        {
            Steps.Add(log.Step);
            if (log.Step == stop) cancel?.Cancel();
        }

        public void OnCheckpoint(CheckpointLog log) => Checkpoints.Add(log.Step);

        public void OnResume(CheckpointLog log) => ResumedAt = log.Step;
    }
}

using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Model.Objectives;
using LoraPar.Model.Runtime;

namespace LoraPar.Method.Tests.Importance;

/// <summary>
/// Importance scoring stopped after any batch (Ctrl-C) or after its last one continues from its checkpoint of partial
/// sums and writes the bytes of a run that was never stopped.
/// </summary>
public sealed class ScoringCheckpointTests
{
    public ScoringCheckpointTests() => TorchRuntime.EnsureInitialized();

    private static ImportanceScorer Scorer(TinyLoraModel tiny) =>
        new(tiny.Model, tiny.Adapters, tiny.Tokenizer.PadId, new ImportanceScorerOptions { BatchSize = 2, SamplesPerSystem = 100, Seed = 11 });

    [Theory]
    [InlineData(1, 2)]
    [InlineData(4, 7)]
    [InlineData(5, 9)]
    public void Scoring_cancelled_after_a_batch_resumes_there_and_writes_the_uninterrupted_bytes(int stopAfterBatches, int examplesDone)
    {
        using var tiny = TinyLoraModel.Create();
        var splits = tiny.Splits(7);                                          // per system 7 examples: batches of 2, 2, 2, 1
        var folder = Directory.CreateTempSubdirectory("scoring-checkpoint-");
        try
        {
            var expected = Scores(Scorer(tiny), splits, null, default, Path.Combine(folder.FullName, "whole.safetensors"));
            var checkpoint = new ScoringCheckpoint(Path.Combine(folder.FullName, "sums.safetensors"), new CheckpointCadence(TimeSpan.MaxValue));
            using var cancel = new CancellationTokenSource();
            var batches = 0;
            var stopper = new Reports(_ => { if (++batches == stopAfterBatches) cancel.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => { using var _ = Scorer(tiny).Score(splits, stopper, cancel.Token, checkpoint); });
            Assert.True(File.Exists(checkpoint.Path), "the interrupt wrote the checkpoint");
            var reports = new List<ScoringProgress>();
            var actual = Scores(Scorer(tiny), splits, checkpoint, new Reports(reports.Add),
                Path.Combine(folder.FullName, "resumed.safetensors"));
            Assert.Equal(examplesDone, reports[0].Resumed);
            Assert.Equal(reports[0].Resumed, reports[0].Done);
            Assert.Equal(8 - stopAfterBatches, reports.Count - 1);            // only the batches still to do ran
            Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(actual));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_checkpoint_of_the_last_batch_resumes_with_no_batch_and_one_of_other_batches_is_refused()
    {
        using var tiny = TinyLoraModel.Create();
        var splits = tiny.Splits(7);
        var folder = Directory.CreateTempSubdirectory("scoring-checkpoint-");
        try
        {
            var checkpoint = new ScoringCheckpoint(Path.Combine(folder.FullName, "sums.safetensors"), CheckpointCadence.Minutes(0));
            var expected = Scores(Scorer(tiny), splits, checkpoint, null, Path.Combine(folder.FullName, "first.safetensors"));
            var reports = new List<ScoringProgress>();
            var again = Scores(Scorer(tiny), splits, checkpoint, new Reports(reports.Add),
                Path.Combine(folder.FullName, "again.safetensors"));
            Assert.Equal(14, Assert.Single(reports).Resumed);
            Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(again));
            var other = new ImportanceScorer(tiny.Model, tiny.Adapters, tiny.Tokenizer.PadId,
                new ImportanceScorerOptions { BatchSize = 3, SamplesPerSystem = 100, Seed = 11 });
            var e = Assert.Throws<BadInputException>(() => other.Score(splits, checkpoint: checkpoint));
            Assert.Contains("holds 8 of 8 batches, but this scoring has 6", e.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Scores(ImportanceScorer scorer, Dictionary<ReasoningSystem, IReadOnlyList<AnswerExample>> splits, ScoringCheckpoint? checkpoint,
        IProgress<ScoringProgress>? progress, string path)
    {
        using var result = scorer.Score(splits, progress, default, checkpoint);
        result.Scores.Save(path);
        return path;
    }

    /// <summary>Hears every report on the scoring thread (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
    private sealed class Reports(Action<ScoringProgress> report) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => report(value);
    }
}

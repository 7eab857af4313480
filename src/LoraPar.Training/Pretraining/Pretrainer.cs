using System.Diagnostics;
using LoraPar.Core;
using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Schedules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Training.Pretraining;

/// <summary>What a pretraining run measured.</summary>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="StepLosses">Mean next-token loss of each step.</param>
/// <param name="Tokens">Tokens trained on (windows × length × steps).</param>
/// <param name="CorpusTokens">Tokens in the corpus stream.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record PretrainReport(int Steps, IReadOnlyList<double> StepLosses, long Tokens, int CorpusTokens, TimeSpan Elapsed)
{
    /// <summary>Mean loss of the last tenth of the steps.</summary>
    public double FinalLoss => StepLosses.Skip(StepLosses.Count - Math.Max(1, StepLosses.Count / 10)).Average();
}

/// <summary>
/// The <c>pretrain</c> stage of the built-in default (issue 10): full-parameter training of a tiny
/// <see cref="LlamaForCausalLM"/> on a plain-text corpus with a character tokenizer — next-token cross-entropy over every
/// token, AdamW (weight decay on matrices only), warm-up + cosine schedule, gradient-norm clipping — seeded, so the same
/// corpus and options give the same weights on the same device.
/// </summary>
public static class Pretrainer
{
    /// <summary>The stage name used in logs and errors.</summary>
    public const string StageName = "pretrain";

    /// <summary>
    /// Pretrains a fresh model on <paramref name="documents"/>; the caller owns the returned model. With
    /// <paramref name="checkpoints"/>, the run continues from the newest checkpoint there, writes one on the cadence, at
    /// the end and when <paramref name="cancel"/> fires, and computes bit for bit what an uninterrupted run computes.
    /// </summary>
    public static PretrainedModel Train(IEnumerable<string> documents, CharTokenizer tokenizer, PretrainOptions options, Device device,
        ITrainingMonitor? monitor = null, CancellationToken cancel = default, PretrainCheckpointing? checkpoints = null)
    {
        options = options.Validated();
        monitor ??= NullTrainingMonitor.Instance;
        var stream = TokenStream.Encode(documents, tokenizer);
        var clock = Stopwatch.StartNew();
        var model = TinyModelFactory.Create(options.ModelConfig(tokenizer.VocabSize), options.Seed, device);
        try
        {
            using var step = new PretrainStep(model, options);
            var losses = new Run(model, step, options, monitor, checkpoints).Train(stream, cancel);
            var report = new PretrainReport(options.Steps, losses, (long)options.Steps * options.BatchSize * options.SequenceLength, stream.Length, clock.Elapsed);
            return new PretrainedModel(model, tokenizer, report);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>One pretraining run: the optimizer steps still to do, their losses, and the checkpoints on the way.</summary>
    private sealed class Run(LlamaForCausalLM model, PretrainStep trainer, PretrainOptions options, ITrainingMonitor monitor, PretrainCheckpointing? checkpoints)
    {
        private readonly AdamW optimizer = trainer.Optimizer;
        private readonly List<double> losses = new(options.Steps);
        private int saved;
        private string? lastCheckpoint;

        public List<double> Train(TokenStream stream, CancellationToken cancel)
        {
            Resume();
            var schedule = new WarmupCosineSchedule(options.LearningRate, options.Steps, options.WarmupRatio, options.MinLearningRate);
            var window = new LogWindow();
            var clock = (checkpoints?.Cadence ?? CheckpointCadence.Minutes(0)).Start();
            model.train();
            for (var step = losses.Count; step < options.Steps; step++)
            {
                if (cancel.IsCancellationRequested) Checkpoint(step);
                Core.StepCanceledException.ThrowIfCancelled(cancel, step + 1, options.Steps);
                var lr = schedule.LearningRateAt(step);
                var (loss, norm) = trainer.Run(stream, step, lr, lastCheckpoint);
                losses.Add(loss);
                window.Add(loss, (long)options.BatchSize * options.SequenceLength);
                var done = step + 1;
                if (done % options.LogEvery == 0 || done == options.Steps)
                    monitor.OnStep(window.Flush(StageName, done, options.Steps, 0, lr, norm));
                if (done < options.Steps && !clock.Due(done)) continue;
                Checkpoint(done);
                clock.Restart();
            }
            model.eval();
            return losses;
        }

        /// <summary>Continues from the newest checkpoint, if any; otherwise deletes stale ones.</summary>
        private void Resume()
        {
            if (checkpoints is null) return;
            if (TrainingCheckpoint.Latest(checkpoints.Directory) is not { } latest) return;
            var state = PretrainCheckpoint.Restore(latest, model, optimizer, options.Steps, options.Seed);
            losses.AddRange(state.StepLosses);
            (saved, lastCheckpoint) = (state.Step, latest);
            monitor.OnResume(new CheckpointLog(StageName, state.Step, latest));
        }

        private void Checkpoint(int done)
        {
            if (checkpoints is null || done == saved) return;
            var state = new TrainerState { Stage = StageName, Step = done, TotalSteps = options.Steps, Seed = options.Seed, StepLosses = [.. losses] };
            var path = PretrainCheckpoint.Save(checkpoints.Directory, model, optimizer, state);
            TrainingCheckpoint.Prune(checkpoints.Directory, checkpoints.Keep);
            (saved, lastCheckpoint) = (done, path);
            monitor.OnCheckpoint(new CheckpointLog(StageName, done, path));
        }
    }
}

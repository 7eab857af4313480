using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Guards;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Precision;
using LoraPar.Training.Schedules;
using static TorchSharp.torch;

namespace LoraPar.Training.Loop;

/// <summary>
/// The optimizer-step scaffold SFT and GRPO share. <see cref="Begin"/> moves the masks to the adapters' device, builds
/// the <see cref="MaskedAdamW"/>, and starts afresh or resumes from the newest checkpoint (restoring the fp16 loss scale)
/// with the guard over the frozen elements. <see cref="Run"/> then does, for each remaining step, in a dispose scope:
/// cancellation, dropout re-seeding from (seed, step), the warm-up + cosine learning rate, the stage's
/// <see cref="ITrainingStepBody{TOutcome}.Run"/>, the stop at a non-finite loss, the fp16 overflow skip (the step
/// counts, the scale halves; without loss scaling or once it is exhausted the stage fails naming the step), the
/// <see cref="UpdateGuard"/> over the updated tensors (finite, growth within <c>max_update_ratio</c>), the stage's
/// record, and a checkpoint on the cadence (<see cref="TrainingRun.Cadence"/> and <c>checkpoint_every</c>), at the end and
/// at a cancellation. <see cref="VerifyFrozen"/> proves at the end that every
/// frozen element is bit-identical to its start value.
/// </summary>
internal sealed class TrainingLoop : IDisposable
{
    private readonly nn.Module model;
    private readonly TrainingLoopSettings settings;
    private readonly TrainingRun run;
    private readonly StepJournal monitor;
    private readonly CheckpointContent content;
    private readonly FrozenElementGuard guard;
    private readonly UpdateGuard updates;
    private int saved;

    private TrainingLoop(nn.Module model, TrainingLoopSettings settings, TrainingRun run, ITrainingMonitor monitor, CheckpointContent content,
        StageStart start, Device device, DynamicLossScale scale)
    {
        (this.model, this.settings, this.run, this.content) = (model, settings, run, content);
        this.monitor = new StepJournal(monitor, start.State?.Log ?? []);
        guard = start.Guard;
        updates = new UpdateGuard(content.Adapters.Tensors, settings.MaxUpdateRatio);
        Resumed = start.State;
        saved = Start;
        LastCheckpoint = start.LastCheckpoint;
        Device = device;
        Scale = scale;
    }

    /// <summary>
    /// The monitor a stage's steps report to: the caller's, journalling every step log so that checkpoints carry the
    /// training curve (restored ones included).
    /// </summary>
    public ITrainingMonitor Monitor => monitor;

    /// <summary>What the guards tell the user to change.</summary>
    public GuardAdvice Advice => settings.Advice;

    /// <summary>The adapters' device.</summary>
    public Device Device { get; }

    /// <summary>The stage mask on <see cref="Device"/> (owned by the loop).</summary>
    public LoraMaskSet Masks => content.Masks;

    /// <summary>The masked optimizer (owned by the loop).</summary>
    public MaskedAdamW Optimizer => content.Optimizer;

    /// <summary>The state resumed from, or null for a fresh start.</summary>
    public TrainerState? Resumed { get; }

    /// <summary>The step the run continues from (0 for a fresh start).</summary>
    public int Start => Resumed?.Step ?? 0;

    /// <summary>Optimizer steps of the whole stage.</summary>
    public int Total => settings.TotalSteps;

    /// <summary>The newest checkpoint written or resumed from, or null.</summary>
    public string? LastCheckpoint { get; private set; }

    /// <summary>The current fp16 loss scale (1 in float32 and bf16).</summary>
    public DynamicLossScale Scale { get; private set; }

    /// <summary>fp16 steps skipped for gradient overflow.</summary>
    public int SkippedSteps { get; private set; }

    /// <summary>Frozen LoRA elements the guard checks.</summary>
    public long FrozenElements => guard.FrozenElements;

    /// <summary>Prepares the optimizer and the start (fresh or resumed) of a stage training <paramref name="adapters"/> under <paramref name="masks"/>.</summary>
    public static TrainingLoop Begin(nn.Module model, LoraAdapterSet adapters, LoraMaskSet masks, TrainingLoopSettings settings, TrainingRun run,
        ITrainingMonitor monitor)
    {
        var device = adapters.Tensors.Values.First().device;
        var scale = TrainingPrecisionPolicy.InitialLossScale(model, settings.Precision, device);
        var deviceMasks = masks.To(device);
        MaskedAdamW? optimizer = null;
        try
        {
            optimizer = new MaskedAdamW(adapters.Tensors, deviceMasks, settings.AdamW);
            var content = new CheckpointContent(adapters, deviceMasks, optimizer, run.BaseModelName);
            var start = StageStart.Begin(settings.StageName, run, content, settings.TotalSteps, settings.Seed, monitor);
            if (start.State is { } resumed) scale = new DynamicLossScale(resumed.LossScale, resumed.LossScaleCleanSteps);
            return new TrainingLoop(model, settings, run, monitor, content, start, device, scale);
        }
        catch
        {
            optimizer?.Dispose();
            deviceMasks.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the remaining steps with <paramref name="body"/>, in train mode (the model's mode is restored after); a
    /// cancellation between steps first checkpoints the steps done, where a checkpoint may fall.
    /// </summary>
    public void Run<TOutcome>(ITrainingStepBody<TOutcome> body, CancellationToken cancel) where TOutcome : IStepOutcome
    {
        var schedule = new WarmupCosineSchedule(settings.LearningRate, Total, settings.WarmupRatio);
        var clock = ((run.Cadence ?? new Core.CheckpointCadence(TimeSpan.MaxValue)) with { EverySteps = settings.CheckpointEvery }).Start();
        var multiple = CheckpointMultiple;
        var wasTraining = model.training;
        model.train();
        try
        {
            for (var s = Start; s < Total; s++)
            {
                if (cancel.IsCancellationRequested && s > saved && s % multiple == 0) Checkpoint(s, body.CheckpointState(s));
                Core.StepCanceledException.ThrowIfCancelled(cancel, s + 1, Total);
                using var scope = NewDisposeScope();                            // tensors that outlive a step are owned elsewhere (optimizer, rollout)
                DropoutRandom.Reseed(settings.Seed, s, Device);
                var lr = schedule.LearningRateAt(s);
                var outcome = body.Run(s, lr, Scale);
                var done = s + 1;
                NonFiniteGuard.CheckLoss(outcome.Loss, settings.StageName, done, Total, LastCheckpoint, settings.Advice.ForNonFinite);
                if (!outcome.Updated) SkipOverflow(outcome, s);
                else
                {
                    updates.Check(settings.StageName, done, Total, LastCheckpoint, settings.Advice);
                    if (Scale.Scale != 1.0) Scale = Scale.After(finite: true);
                }
                body.Record(s, lr, outcome, log: done % settings.LogEvery == 0 || done == Total);
                if (done < Total && (done % multiple != 0 || !clock.Due(done))) continue;
                Checkpoint(done, body.CheckpointState(done));
                clock.Restart();
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// Checkpoints fall only after a multiple of this many steps: of the stage's own (GRPO's μ, between rollouts) and of
    /// <c>log_every</c>, so that no step log is half accumulated when one is written and a resumed stage's training log
    /// equals the uninterrupted one's.
    /// </summary>
    private int CheckpointMultiple
    {
        get
        {
            var (a, b) = (settings.CheckpointMultiple, settings.LogEvery);
            var (x, y) = (a, b);
            while (y != 0) (x, y) = (y, x % y);
            return a / x * b;
        }
    }

    /// <summary>Fails unless every frozen element of <paramref name="adapters"/> still equals its stage-start value.</summary>
    public void VerifyFrozen(LoraAdapterSet adapters) => guard.Verify(adapters.Tensors, $"{settings.StageName}, end of stage");

    /// <inheritdoc />
    public void Dispose()
    {
        guard.Dispose();
        content.Optimizer.Dispose();
        content.Masks.Dispose();
    }

    /// <summary>
    /// A step whose gradient was not finite: with fp16 loss scaling it is skipped (the step still counts) and the scale
    /// halves; without loss scaling, or once the scale is exhausted, the stage fails naming the step.
    /// </summary>
    private void SkipOverflow(IStepOutcome outcome, int s)
    {
        var next = Scale.After(finite: false);
        if (Scale.Scale == 1.0 || next.Exhausted)
            NonFiniteGuard.CheckGradientNorm(outcome.GradNorm, settings.StageName, s + 1, Total, LastCheckpoint, settings.Advice.ForNonFinite);
        Scale = next;
        SkippedSteps++;
    }

    private void Checkpoint(int done, (int Epoch, IReadOnlyDictionary<string, double> Metrics) stage)
    {
        var state = new TrainerState
        {
            Stage = settings.StageName, Step = done, TotalSteps = Total, Epoch = stage.Epoch, Seed = settings.Seed,
            LearningRate = content.Optimizer.LearningRate, LossScale = Scale.Scale, LossScaleCleanSteps = Scale.CleanSteps, Metrics = stage.Metrics,
            Log = [.. monitor.Steps],
        };
        var path = TrainingCheckpoint.Save(run.CheckpointDirectory, content, state);
        TrainingCheckpoint.Prune(run.CheckpointDirectory, settings.KeepCheckpoints);
        (saved, LastCheckpoint) = (done, path);
        monitor.OnCheckpoint(new CheckpointLog(settings.StageName, done, path));
    }
}

using LoraPar.Adapters;
using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Model.Objectives;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Modeling;
using TorchSharp;

namespace LoraPar.Pipeline.Stages.Scores;

/// <summary>
/// The <c>scores</c> stage (paper §3.3): injects LoRA exactly as training will (same init, same seed, dropout 0), then scores
/// every LoRA element for System 1 (D1) and System 2 (D2) with the second-order importance I = |ḡφ − ½F̂φ²| from batched
/// per-example gradients. Writes <c>importance.safetensors</c>. The partial sums are checkpointed per batch on the
/// manifest's <c>checkpoint_minutes</c> (and at the end and at Ctrl-C) in the key's partial-results folder; a resumed run
/// continues after the last saved batch and writes the same bytes. With <c>partition.selection = "full"</c> no element is ranked,
/// so only the tensor shapes are written (scores of zero) and nothing is computed.
/// It also writes the moments every importance estimator needs and the estimators' Spearman agreement
/// (<see cref="EstimatorEvidence"/>), and for mask robustness, when asked, the per-example gradients and other LoRA-init seeds' importance.
/// </summary>
public sealed class ScoresStage : IStage
{
    /// <inheritdoc />
    public string Kind => StageKinds.Scores;

    /// <inheritdoc />
    public int Version => 4;

    /// <inheritdoc />
    public StageDeclaration? Declare(PipelineManifest manifest) => new(
        [StageKinds.Labels, .. StageInputs.BaseUpstream(manifest)],
        // Only "full" changes what this stage writes; importance and random selections share one scores artifact.
        [.. StageInputs.BaseReads, "lora", .. EstimatorEvidence.ScoringReads(), .. manifest.Partition.Selection == MaskStrategy.Full ? ["partition.selection"] : Array.Empty<string>()],
        StageInputs.BaseInputs(manifest));

    /// <inheritdoc />
    public void Execute(StageContext context)
    {
        var manifest = context.Manifest;
        using var scope = torch.NewDisposeScope();
        using var base_ = BaseModel.Load(context);
        var adapters = LoraInjector.Inject(base_.Model, manifest.Lora with { Dropout = 0 }, manifest.Seed);
        var path = context.OutputPath(ImportanceScores.FileName);
        if (manifest.Partition.Selection == MaskStrategy.Full)
        {
            using var zeros = new ImportanceScores(Zeros(adapters), Zeros(adapters));
            zeros.Save(path);
            context.Log("selection = full: no element is ranked, only the LoRA shapes are written");
            return;
        }
        var splits = new Dictionary<ReasoningSystem, IReadOnlyList<AnswerExample>>
        {
            [ReasoningSystem.System1] = TrainingExamples.Encode(base_.Tokenizer, TrainingExamples.Rows(context, 1)),
            [ReasoningSystem.System2] = TrainingExamples.Encode(base_.Tokenizer, TrainingExamples.Rows(context, 2)),
        };
        using var examples = manifest.Importance.RobustnessResamples > 0 ? new ScoredExampleGradients() : null;
        using var result = Score(context, base_, adapters, splits, examples);
        result.Scores.Save(path);
        StageWarnings.Write(context, Kind, result.Warnings);
        examples?.Save(context.OutputPath(ScoredExampleGradients.FileName));
        SeedScoring.Write(context, splits);
        var metrics = EstimatorEvidence.Write(context, result.Moments!);
        metrics["scored_examples_s1"] = result.Samples[ReasoningSystem.System1].Examples.Count;
        metrics["scored_examples_s2"] = result.Samples[ReasoningSystem.System2].Examples.Count;
        MetricsFile.Write(context.OutputPath(MetricsFile.FileName), metrics);
    }

    /// <remarks>
    /// Keeping per-example gradients (<paramref name="examples"/>, for mask robustness) scores without a checkpoint: a resumed
    /// run would miss the earlier batches' gradients, so that opt-in mode always scores from the start.
    /// </remarks>
    private static ImportanceScoringResult Score(StageContext context, BaseModel base_, LoraAdapterSet adapters,
        Dictionary<ReasoningSystem, IReadOnlyList<AnswerExample>> splits, ScoredExampleGradients? examples)
    {
        var settings = context.Manifest.Importance;
        var options = settings with { Seed = context.Manifest.Seed };
        var total = splits.Values.Sum(s => Math.Min(s.Count, settings.SamplesPerSystem));
        using var bar = context.Progress.Start("importance scores", total, "examples");
        var shown = 0;
        var progress = new SynchronousProgress<ScoringProgress>(p =>
        {
            if (shown == 0 && p.Resumed > 0)
            {
                context.Log($"importance scores: resumed {p.Resumed} of {p.Total} examples from an earlier attempt");
                bar.Resume(p.Resumed);
                shown = p.Resumed;
            }
            bar.Advance(p.Done - shown);   // Done counts examples over both systems
            shown = p.Done;
        });
        var checkpoint = new ScoringCheckpoint(Path.Combine(context.CheckpointDirectory(), "importance-sums.safetensors"), context.Manifest.CheckpointCadence());
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint.Path)!);
        return new ImportanceScorer(base_.Model, adapters, base_.Tokenizer.PadId, options)
            .Score(splits, progress, context.Cancellation, examples is null ? checkpoint : null, examples is null ? null : examples.Add);
    }

    private static Dictionary<string, torch.Tensor> Zeros(LoraAdapterSet adapters) =>
        adapters.Tensors.ToDictionary(kv => kv.Key, kv => torch.zeros(kv.Value.shape, torch.ScalarType.Float32));
}

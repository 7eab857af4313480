using LoraPar.Core;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Modeling;
using LoraPar.Pipeline.Stages.Training;
using LoraPar.Synthetic;
using LoraPar.Training.Pretraining;

namespace LoraPar.Pipeline.Stages.Pretrain;

/// <summary>
/// The <c>pretrain</c> stage (model.source = "pretrain"): trains the built-in tiny LLaMA-architecture model on a corpus drawn
/// from the synthetic task's train split — some items solved, the rest as bare questions — so the base has partial skill on
/// both systems. Writes an HF folder (config.json, model.safetensors, tokenizer.json) that every later stage loads. Checkpoints
/// (on the manifest's <c>checkpoint_minutes</c>, at the end and at Ctrl-C) stay in the key's partial-results folder, so a
/// killed or interrupted run continues where it stopped and commits the same bytes.
/// </summary>
public sealed class PretrainStage : IStage
{
    /// <inheritdoc />
    public string Kind => StageKinds.Pretrain;

    /// <inheritdoc />
    public int Version => 4;   // 4: the quickstart's base moved to the portable AVX2 path; bases cached on another path are not its pins

    /// <inheritdoc />
    public StageDeclaration? Declare(PipelineManifest manifest) => manifest.Model.Source == ModelSource.Pretrain
        ? new StageDeclaration([], ["model.tiny", "data.synthetic_train_size", "data.synthetic_eval_size", "data.synthetic_ranges", "seed"])
        {
            From = manifest.DataSeeded(),
        }
        : null;

    /// <inheritdoc />
    public void Execute(StageContext context)
    {
        var manifest = context.Manifest.DataSeeded();
        var task = DualSystemTaskGenerator.Generate(SyntheticData.ConfigOf(manifest));
        var solved = manifest.Model.Tiny.PretrainSolvedFraction;
        var corpus = PretrainCorpus.Build(task, new PretrainCorpusConfig
        {
            Seed = manifest.Seed,
            System1SolvedFraction = solved,
            System2SolvedFraction = solved,
            DrillFraction = manifest.Model.Tiny.PretrainDrillFraction,
            PoolSize = manifest.Model.Tiny.PretrainPoolSize,
        });
        var options = OptionsOf(manifest.Model.Tiny, manifest.Seed);
        using var progress = context.Progress.Start("pretrain tiny model", options.Steps);
        using var trained = Pretrainer.Train(corpus.Select(d => d.Text), CharTokenizer.Create(TaskAlphabet.Characters), options,
            BaseModel.DeviceOf(manifest), new ProgressMonitor(progress, context.Log), context.Cancellation,
            new PretrainCheckpointing(context.CheckpointDirectory(), manifest.CheckpointCadence()));
        trained.Save(context.OutputDirectory);
        MetricsFile.Write(context.OutputPath(MetricsFile.FileName), new Dictionary<string, double>
        {
            ["pretrain_final_loss"] = trained.Report.FinalLoss,
            ["pretrain_seconds"] = trained.Report.Elapsed.TotalSeconds,
        });
        context.Log($"pretrained {options.Layers}×{options.Hidden} model for {options.Steps} steps, final loss {trained.Report.FinalLoss:F3}");
    }

    /// <summary>The pretraining options a manifest's <c>[model.tiny]</c> asks for.</summary>
    public static PretrainOptions OptionsOf(TinyModelSettings tiny, long seed)
    {
        var options = new PretrainOptions
        {
            Layers = tiny.Layers,
            Hidden = tiny.HiddenSize,
            Heads = tiny.Heads,
            KeyValueHeads = tiny.Heads % 2 == 0 ? tiny.Heads / 2 : tiny.Heads,
            IntermediateSize = tiny.IntermediateSize,
            SequenceLength = tiny.ContextLength,
            MaxPositions = Math.Max(1024, tiny.ContextLength),
            Steps = tiny.PretrainSteps,
            LearningRate = tiny.PretrainLearningRate,
            MinLearningRate = tiny.PretrainLearningRate / 10,
            BatchSize = tiny.PretrainBatchSize,
            Seed = seed,
        };
        var problems = options.Problems();
        return problems.Count == 0 ? options : throw new BadInputException("[model.tiny]: " + string.Join("; ", problems));
    }
}

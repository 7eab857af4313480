using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Modeling;
using TorchSharp;

namespace LoraPar.Pipeline.Stages.Eval;

/// <summary>
/// The <c>eval-base</c> stage: the manifest's benchmarks on the base model itself, without adapters. Its key holds only the
/// base model, the evaluation data and the eval settings — not the method, LoRA, partition or training settings — so every run
/// of a sweep (and every manifest over the same base and benchmarks) shares one artifact, and the <c>eval</c> stage takes
/// its <c>*_base</c> metrics from here. Part of the DAG only when <c>eval.points</c> lists <c>base</c>.
/// </summary>
public sealed class BaseEvalStage : IStage
{
    /// <inheritdoc />
    public string Kind => StageKinds.EvalBase;

    /// <inheritdoc />
    public int Version => 4;

    /// <inheritdoc />
    public StageDeclaration? Declare(PipelineManifest manifest) =>
        manifest.Eval.Points.Contains(EvalPoint.Base) ? EvalSuite.Declaration(manifest, [], []) : null;

    /// <inheritdoc />
    public void Execute(StageContext context)
    {
        using var scope = torch.NewDisposeScope();
        using var base_ = BaseModel.Load(context);
        base_.Model.eval();
        var metrics = EvalSuite.Run(context, base_, [EvalPoint.Base], _ => null);
        MetricsFile.Write(context.OutputPath(MetricsFile.FileName), metrics);
    }
}

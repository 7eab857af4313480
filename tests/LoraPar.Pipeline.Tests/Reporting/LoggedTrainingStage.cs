using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Training;
using LoraPar.Training.Grpo;
using LoraPar.Training.Monitoring;

namespace LoraPar.Pipeline.Tests.Reporting;

/// <summary>
/// Stands in for the real <c>sft</c> / <c>rl</c> stage where no model is trained: writes <c>training_log.jsonl</c> through the
/// real writer (<see cref="TrainingCurve"/>) with four steps whose loss (and, for rl, reward and KL) follow a fixed formula of
/// the step and the partition's α, so that the runs of an α sweep log different curves.
/// </summary>
internal sealed class LoggedTrainingStage(string kind) : IStage
{
    public const int Steps = 4;

    public string Kind => kind;

    public int Version => 1;

    public StageDeclaration? Declare(PipelineManifest manifest) =>
        StageOrder.Runs(manifest.Method, kind) ? new([StageKinds.Masks], ["partition", kind]) : null;

    public static double Loss(int step, double alpha) => 3.0 / step + alpha;

    public static double Reward(int step, double alpha) => 0.5 * step + alpha;

    public void Execute(StageContext context)
    {
        var alpha = context.Manifest.Partition.Alpha;
        var rl = kind == StageKinds.Rl;
        TrainingCurve.Write(context.OutputPath(TrainingCurve.FileName), Enumerable.Range(1, Steps).Select(step => new StepLog(kind, step, Steps, 1,
            Loss(step, alpha), 1e-3, 0.5, 100, 1000, rl
                ? new Dictionary<string, double> { [GrpoMetrics.Reward] = Reward(step, alpha), [GrpoMetrics.Kl] = 0.01 * step }
                : new Dictionary<string, double>())));
    }
}

using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Tests.Reporting;

/// <summary>Stands in for the real <c>eval</c> stage: reports accuracies that are a fixed function of α and β.</summary>
internal sealed class FakeEvalStage : IStage
{
    public string Kind => StageKinds.Eval;

    public int Version => 1;

    public StageDeclaration? Declare(PipelineManifest manifest) => new([StageKinds.Masks], ["eval", "partition"]);

    public void Execute(StageContext context)
    {
        var (alpha, beta) = (context.Manifest.Partition.Alpha, context.Manifest.Partition.Beta);
        MetricsFile.Write(context.OutputPath(MetricsFile.FileName), new Dictionary<string, double>
        {
            ["gsm8k_accuracy_stage1"] = 20 + 10 * alpha,
            ["gsm8k_accuracy_stage2"] = 25 + 10 * alpha + 6 * beta,
        });
    }
}

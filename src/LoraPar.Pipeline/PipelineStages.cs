using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline;

/// <summary>
/// The stages of this build. To add a stage: implement <see cref="IStage"/> (usually in src/LoraPar.Pipeline/Stages/&lt;Kind&gt;/)
/// and add one <c>Register</c> line here, in DAG order.
/// </summary>
public static class PipelineStages
{
    /// <summary>A registry holding every stage this build implements.</summary>
    public static StageRegistry CreateDefault() =>
        new StageRegistry()
            .Register(new ReportStage());
}

using LoraPar.Method.Splitter;
using LoraPar.Model.Generation;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Labels;
using LoraPar.Pipeline.Stages.Eval;
using LoraPar.Pipeline.Stages.Masks;
using LoraPar.Pipeline.Stages.Pretrain;
using LoraPar.Pipeline.Stages.Scores;
using LoraPar.Pipeline.Stages.Training;

namespace LoraPar.Pipeline;

/// <summary>
/// The stages of this build. To add a stage: implement <see cref="IStage"/> (usually in src/LoraPar.Pipeline/Stages/&lt;Kind&gt;/)
/// and add one <c>Register</c> line here, in DAG order.
/// </summary>
public static class PipelineStages
{
    /// <summary>A registry holding every stage this build implements.</summary>
    /// <param name="localScorers">Loads a <c>local</c> splitter teacher's checkpoint as a scorer (null: local teachers are refused).</param>
    public static StageRegistry CreateDefault(Func<LocalTeacherConfig, ICompletionScorer>? localScorers = null) =>
        new StageRegistry()
            .Register(new PretrainStage())
            .Register(new DataStage())
            .Register(new LabelsStage(localScorers))
            .Register(new ScoresStage())
            .Register(new MasksStage())
            .Register(new SftStage())
            .Register(new RlStage())
            .Register(new BaseEvalStage())
            .Register(new EvalStage())
            .Register(new ReportStage());
}

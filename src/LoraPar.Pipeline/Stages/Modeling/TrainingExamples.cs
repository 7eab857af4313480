using LoraPar.Model.Objectives;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Labels;

namespace LoraPar.Pipeline.Stages.Modeling;

/// <summary>The labels stage's D1 / D2 rows, tokenised for training and scoring.</summary>
public static class TrainingExamples
{
    /// <summary>The rows of one system (D1 or D2) from the labels artifact.</summary>
    public static IReadOnlyList<DatasetRow> Rows(StageContext context, int system) => DatasetRows.Read(Path.Combine(
        context.UpstreamDirectory(StageKinds.Labels), system == 1 ? LabelsStage.System1File : LabelsStage.System2File));

    /// <summary>Prompt and response token ids (response ends in EOS) of every row.</summary>
    public static IReadOnlyList<AnswerExample> Encode(TextTokenizer tokenizer, IEnumerable<DatasetRow> rows) =>
        rows.Select(r => AnswerExample.Encode(tokenizer, r.Prompt, r.Response)).ToList();
}

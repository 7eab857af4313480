using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Gsm8k;
using LoraPar.Evaluation.Own;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Init;

/// <summary>
/// What <c>lorapar init --eval</c> found in a held-out file: the file as <see cref="DataInspection"/> sees it, its first row's
/// gold answer, and the metric that answer suggests — <see cref="AnswerMetric.Numeric"/> when it is a number or ends in
/// GSM8K's <c>#### N</c> (or <c>&lt;answer&gt;N&lt;/answer&gt;</c>), else <see cref="AnswerMetric.Exact"/>.
/// </summary>
/// <param name="File">The file's format, columns, layout and mapping.</param>
/// <param name="Gold">The first row's gold answer ("" when a column for it was not found).</param>
/// <param name="Metric">The metric guessed from <paramref name="Gold"/>.</param>
public sealed record HeldOutInspection(DataInspection File, string Gold, AnswerMetric Metric)
{
    /// <summary>Inspects <paramref name="path"/>; a row that does not read in the detected layout is a <see cref="Core.BadInputException"/> naming file and row.</summary>
    public static HeldOutInspection Of(string path)
    {
        var file = DataInspection.Of(path, "--eval");
        if (file.Missing.Count > 0) return new HeldOutInspection(file, "", AnswerMetric.Exact);
        var layout = OwnDataKinds.LayoutOf(file.Dataset)!.Value;
        var gold = DatasetLoader.LoadOwnData(path, layout, new FieldMapping(file.Mapping))[0].Answer;
        return new HeldOutInspection(file, gold, MetricOf(gold));
    }

    /// <summary>The metric a gold answer suggests: numeric for a number (alone, or marked as GSM8K marks it), else exact.</summary>
    public static AnswerMetric MetricOf(string gold) =>
        AnswerExtractor.Extract(gold, ExtractionMode.Strict) is not null || AnswerExtractor.Normalize(gold) is not null
            ? AnswerMetric.Numeric
            : AnswerMetric.Exact;
}

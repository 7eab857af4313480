using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Own;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>
/// <c>[eval.own]</c>: one's own held-out file, graded by a chosen metric whatever the training data's format (benchmark
/// <c>"own"</c>; results <c>own_{point}.jsonl</c>, metric <c>own_accuracy_{point}</c>). Its rows are read like one's own
/// training data (<see cref="Dataset"/>, <c>[eval.own.columns]</c>) and rendered with <c>data.chat_template</c>.
/// </summary>
public sealed record OwnEvalSection
{
    /// <summary>The held-out file (JSONL, JSON, CSV or Parquet); every row needs a gold answer.</summary>
    public ManifestPath? Path { get; init; }

    /// <summary>The file's row layout: question-answer, prompt-completion or messages (unset: data.dataset's when that is one's own, else question-answer).</summary>
    public OwnDataLayout? Dataset { get; init; }

    /// <summary>How an answer is graded: exact (after SQuAD's normalisation), numeric, regex (pattern with {gold}) or choice (options by log-likelihood).</summary>
    public AnswerMetric Metric { get; init; } = AnswerMetric.Exact;

    /// <summary>The regex of the answer span in the output and in the gold (first match; its first group when it has one); "" = none.</summary>
    public string AnswerRegex { get; init; } = "";

    /// <summary>The regex metric's pattern, in which {gold} stands for the gold answer (matched literally).</summary>
    public string Pattern { get; init; } = "";

    /// <summary>The column holding each row's options (metric = "choice"; a list, or in CSV a JSON array); the gold is one of them.</summary>
    public string Options { get; init; } = "";

    /// <summary>Generated tokens per answer (0 = eval.max_new_tokens); choice generates nothing.</summary>
    public int MaxNewTokens { get; init; }

    /// <summary>Column names of the file (<c>[eval.own.columns]</c>, as <c>[data.columns]</c>; null when absent: every field under its own name).</summary>
    public DataColumns? Columns { get; init; }

    /// <summary>The row layout for a manifest whose data is <paramref name="data"/>.</summary>
    public OwnDataLayout LayoutFor(DataSection data) => Dataset ?? OwnDataKinds.LayoutOf(data.Dataset) ?? OwnDataLayout.QuestionAnswer;

    /// <summary>The field mapping of the file: <see cref="Columns"/>, and the options column.</summary>
    public FieldMapping Mapping()
    {
        var columns = new Dictionary<string, string>((Columns ?? new DataColumns()).Mapping().Columns);
        if (Options.Length > 0 && Options != HeldOutExample.OptionsField) columns[HeldOutExample.OptionsField] = Options;
        return new FieldMapping(columns);
    }

    internal static OwnEvalSection Read(SectionReader r, bool needed, DataSection data)
    {
        var d = new OwnEvalSection();
        var dataset = r.Has("dataset") ? r.Enum("dataset", OwnDataLayout.QuestionAnswer) : (OwnDataLayout?)null;
        var layout = (d with { Dataset = dataset }).LayoutFor(data);
        var section = new OwnEvalSection
        {
            Path = r.Path("path", PathKind.File, mustExist: true),
            Dataset = dataset,
            Metric = r.Enum("metric", d.Metric),
            AnswerRegex = r.String("answer_regex", d.AnswerRegex),
            Pattern = r.String("pattern", d.Pattern),
            Options = r.String("options", d.Options),
            MaxNewTokens = r.Int("max_new_tokens", d.MaxNewTokens, NumberRange.NonNegative),
        };
        if (r.Has("columns")) section = section with { Columns = DataColumns.Read(r.Section("columns"), layout, KebabCase.Name(layout)) };
        if (needed && section.Path is null) r.Error("path", "eval.benchmarks includes \"own\"; point eval.own.path at the held-out file");
        if (!needed && section.Path is not null) r.Error("path", "[eval.own] is graded only when eval.benchmarks includes \"own\"; add it, or drop the path");
        if (AnswerGrader.Problem(section.Metric, section.AnswerRegex, section.Pattern) is { } problem) r.Error(problem.Key, problem.Message);
        if (section.Metric == AnswerMetric.Choice && section.Options.Trim().Length == 0)
            r.Error("options", "metric = \"choice\" scores given options; name the column that holds them, e.g. options = \"choices\"");
        if (section.Metric != AnswerMetric.Choice && section.Options.Length > 0)
            r.Error("options", $"options are scored by metric = \"choice\"; metric = \"{AnswerGrader.Name(section.Metric)}\" grades generated answers");
        if (section.Metric == AnswerMetric.Choice && section.MaxNewTokens > 0)
            r.Error("max_new_tokens", "metric = \"choice\" scores the options and generates nothing");
        r.Finish();
        return section;
    }
}

using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>
/// Where <c>method = "labels-file"</c> reads the user's labels (<c>[splitter]</c> keys <c>labels_file</c>, <c>vote_columns</c>,
/// <c>missing_labels</c>): a CSV, JSONL, JSON or Parquet table with an <c>id</c> column and either a <c>system</c> column
/// (1 / 2 / system1 / system2) or one column of votes per teacher, voted by <c>splitter.tie_break</c> (<see cref="GivenLabels"/>).
/// The file's bytes enter the labels key.
/// </summary>
public sealed record LabelsFileSource
{
    /// <summary>The labels table.</summary>
    public required ManifestPath Path { get; init; }

    /// <summary>The columns holding teachers' votes (empty: every column but <c>id</c>, when the file has no <c>system</c> column).</summary>
    public IReadOnlyList<string> VoteColumns { get; init; } = [];

    /// <summary>What a training question without a row gets.</summary>
    public MissingLabelPolicy MissingLabels { get; init; } = MissingLabelPolicy.Error;

    /// <summary>Reads the keys from <c>[splitter]</c>; null when <c>labels_file</c> is absent (an error under <c>labels-file</c>).</summary>
    internal static LabelsFileSource? Read(SectionReader r, SplitterMethod method)
    {
        var path = r.Path("labels_file", PathKind.File, mustExist: method == SplitterMethod.LabelsFile,
            "a CSV/JSONL table with an id column and a system column, or one vote column per teacher");
        var columns = r.StringList("vote_columns", [], ListRules.NonEmpty | ListRules.Distinct);
        var missing = r.Enum("missing_labels", MissingLabelPolicy.Error);
        if (method != SplitterMethod.LabelsFile)
        {
            foreach (var key in new[] { "labels_file", "vote_columns", "missing_labels" }.Where(r.Has))
                r.Error(key, "only method = \"labels-file\" reads a labels file; set that method or remove the key");
            return null;
        }
        if (path is null)
        {
            r.Error("method", "method = \"labels-file\" needs labels_file (the path of your labels table)");
            return null;
        }
        try
        {
            TableFormats.Detect(path.Resolved);
        }
        catch (BadInputException)
        {
            r.Error("labels_file", $"\"{path.Raw}\": name a .csv, .jsonl, .json or .parquet file (optionally .gz)");
        }
        return new LabelsFileSource { Path = path, VoteColumns = columns, MissingLabels = missing };
    }
}

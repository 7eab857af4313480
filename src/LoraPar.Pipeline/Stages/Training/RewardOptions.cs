using System.Text.Json;
using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>
/// Each training row's own options for the <c>choice</c> rewards that name a column of one's own training data
/// (<c>options_column</c>): the row's cell, a list (or in CSV a JSON array of strings) of at least two distinct options, as
/// <c>[eval.own] options</c> reads a held-out file's. The <c>rl</c> stage reads them from <c>data.train</c>, whose bytes
/// already enter its key through the data stage's.
/// </summary>
public static class RewardOptions
{
    /// <summary>Each row's options by column, keyed by row id.</summary>
    public sealed record ByRow(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Options)
    {
        /// <summary>The options of row <paramref name="id"/>, or null when the rewards read none.</summary>
        public IReadOnlyDictionary<string, IReadOnlyList<string>>? Of(string id) => Options.GetValueOrDefault(id);
    }

    /// <summary>No row's options: what the rewards read when none names a column.</summary>
    public static ByRow None { get; } = new(new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>());

    /// <summary>The columns <paramref name="rewards"/> read options from, each once, in order (empty when none does).</summary>
    public static IReadOnlyList<string> Columns(IReadOnlyList<OwnReward>? rewards) =>
        rewards?.Select(r => r.OptionsColumn).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList() ?? [];

    /// <summary>
    /// The options in <paramref name="columns"/> of every row of the own-data file <paramref name="path"/>; a missing cell, a text
    /// that is no list, or fewer than two distinct options is a <see cref="BadInputException"/> naming file, row and column.
    /// </summary>
    public static ByRow Load(string path, DataSection data, IReadOnlyList<string> columns)
    {
        if (columns.Count == 0) return None;
        var layout = OwnDataKinds.LayoutOf(data.Dataset) ?? throw new ArgumentException($"{data.Dataset} is not one's own data", nameof(data));
        var records = DatasetLoader.LoadOwnData(path, layout, (data.Columns ?? new DataColumns()).Mapping());
        var rows = TableReader.Read(path, new TableLayout());
        return new ByRow(records.Zip(rows).ToDictionary(
            p => p.First.Id,
            p => (IReadOnlyDictionary<string, IReadOnlyList<string>>)columns.ToDictionary(c => c, c => OptionsOf(p.Second, c))));
    }

    private static IReadOnlyList<string> OptionsOf(RawRow raw, string column)
    {
        var row = new MappedRow(raw, new FieldMapping(new Dictionary<string, string> { ["options"] = column }));
        var value = row.Value("options");
        var options = value.Items ?? Parsed(row, value.Text ?? "");
        return options.Count >= 2 && options.Select(o => o.Trim()).Distinct(StringComparer.Ordinal).Count() == options.Count
            ? options
            : throw row.Wrong("options", $"{options.Count} option(s) or repeated ones; a choice reward needs at least two distinct options");
    }

    private static IReadOnlyList<string> Parsed(MappedRow row, string text)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(text) ?? [];
        }
        catch (JsonException)
        {
            throw row.Wrong("options", "a text where a list of options was expected (in CSV, a JSON array such as [\"yes\", \"no\"])");
        }
    }
}

using LoraPar.Core;

namespace LoraPar.Evaluation.Datasets;

/// <summary>
/// Loads the built-in dataset formats from JSONL, JSON, CSV or Parquet files into typed records, or into the common
/// <see cref="Example"/> shape. Every error names the file, the row and the field.
/// </summary>
public static class DatasetLoader
{
    /// <summary>GSM8K problems.</summary>
    public static IReadOnlyList<Gsm8kProblem> LoadGsm8k(DatasetSource source) =>
        Rows(source, Gsm8kProblem.Fields).Select(r => Gsm8kProblem.FromRow(r, IdOf(r))).ToList();

    /// <summary>Dolly-15K records.</summary>
    public static IReadOnlyList<DollyRecord> LoadDolly(DatasetSource source) =>
        Rows(source, DollyRecord.Fields).Select(r => DollyRecord.FromRow(r, IdOf(r))).ToList();

    /// <summary>Open-Platypus records.</summary>
    public static IReadOnlyList<PlatypusRecord> LoadPlatypus(DatasetSource source) =>
        Rows(source, PlatypusRecord.Fields).Select(r => PlatypusRecord.FromRow(r, IdOf(r))).ToList();

    /// <summary>CodeAlpaca records.</summary>
    public static IReadOnlyList<CodeAlpacaRecord> LoadCodeAlpaca(DatasetSource source) =>
        Rows(source, CodeAlpacaRecord.Fields).Select(r => CodeAlpacaRecord.FromRow(r, IdOf(r))).ToList();

    /// <summary>HumanEval problems (<c>.jsonl</c> or <c>.jsonl.gz</c>).</summary>
    public static IReadOnlyList<HumanEvalProblem> LoadHumanEval(DatasetSource source) =>
        Rows(source, HumanEvalProblem.Fields).Select(HumanEvalProblem.FromRow).ToList();

    /// <summary>
    /// One's own data in <paramref name="layout"/> from a JSONL, JSON, CSV or Parquet file, columns renamed by
    /// <paramref name="mapping"/>. Ids must be unique; every error names the file and row.
    /// </summary>
    public static IReadOnlyList<OwnDataRecord> LoadOwnData(string path, OwnDataLayout layout, FieldMapping mapping) =>
        LoadOwn(path, layout, mapping, [], (row, record) => record);

    /// <summary>
    /// A held-out file of one's own in <paramref name="layout"/>, as <see cref="LoadOwnData"/> reads it; with
    /// <paramref name="withOptions"/> every row also carries its <c>options</c> (<see cref="Own.HeldOutExample"/>).
    /// </summary>
    public static IReadOnlyList<Own.HeldOutExample> LoadHeldOut(string path, OwnDataLayout layout, FieldMapping mapping, bool withOptions) =>
        LoadOwn(path, layout, mapping, [Own.HeldOutExample.OptionsField],
            (row, record) => withOptions ? Own.HeldOutExample.WithOptions(row, record) : new Own.HeldOutExample(record, null));

    private static IReadOnlyList<T> LoadOwn<T>(string path, OwnDataLayout layout, FieldMapping mapping, IReadOnlyList<string> extraFields,
        Func<MappedRow, OwnDataRecord, T> read)
    {
        var records = new List<T>();
        var seen = new Dictionary<string, RowPosition>(StringComparer.Ordinal);
        foreach (var row in Rows(path, new TableLayout(), mapping, [.. OwnDataRecord.FieldsOf(layout), .. extraFields]))
        {
            var record = OwnDataRecord.FromRow(row, layout, IdOf(row));
            if (!seen.TryAdd(record.Id, row.Position)) throw row.Wrong("id", $"the id '{record.Id}' again (first at {seen[record.Id]})");
            records.Add(read(row, record));
        }
        return records;
    }

    /// <summary>
    /// MMLU questions from a Hendrycks CSV file or folder of <c>{subject}_{split}.csv</c> files (<see cref="DatasetFormat.MmluCsv"/>),
    /// or from a cais/mmlu Parquet file or folder of shards (<see cref="DatasetFormat.MmluParquet"/>). Folders are read in file-name order.
    /// </summary>
    public static IReadOnlyList<MmluQuestion> LoadMmlu(DatasetSource source)
    {
        var csv = source.Format switch
        {
            DatasetFormat.MmluCsv => true,
            DatasetFormat.MmluParquet => false,
            _ => throw new ArgumentException($"{source.Format} is not an MMLU format", nameof(source)),
        };
        var fields = csv ? MmluQuestion.CsvColumns : MmluQuestion.ParquetFields;
        var questions = new List<MmluQuestion>();
        foreach (var file in FilesOf(source.Path, csv ? "*.csv" : "*.parquet"))
        {
            var layout = new TableLayout(source.Table ?? (csv ? TableFormat.Csv : TableFormat.Parquet), csv ? MmluQuestion.CsvColumns : null);
            var subject = csv ? SubjectOf(file) : "";
            foreach (var row in Rows(file, layout, source.Mapping, fields))
                questions.Add(csv ? MmluQuestion.FromCsvRow(row, IdOf(row), subject) : MmluQuestion.FromParquetRow(row, IdOf(row)));
        }
        return questions;
    }

    /// <summary>Any built-in format in the common <see cref="Example"/> shape.</summary>
    public static IReadOnlyList<Example> LoadExamples(DatasetSource source) => source.Format switch
    {
        DatasetFormat.Gsm8k => LoadGsm8k(source).Select(p => p.ToExample()).ToList(),
        DatasetFormat.Dolly15k => LoadDolly(source).Select(r => r.ToExample()).ToList(),
        DatasetFormat.OpenPlatypus => LoadPlatypus(source).Select(r => r.ToExample()).ToList(),
        DatasetFormat.CodeAlpaca => LoadCodeAlpaca(source).Select(r => r.ToExample()).ToList(),
        DatasetFormat.MmluCsv or DatasetFormat.MmluParquet => LoadMmlu(source).Select(q => q.ToExample()).ToList(),
        DatasetFormat.HumanEval => LoadHumanEval(source).Select(p => p.ToExample()).ToList(),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source.Format, "unknown dataset format"),
    };

    /// <summary>The MMLU subject of a Hendrycks file name: <c>high_school_physics_test.csv</c> → <c>high_school_physics</c>.</summary>
    public static string SubjectOf(string file)
    {
        var stem = TableFormats.Stem(file);
        foreach (var split in (string[])["_test", "_dev", "_val", "_validation", "_train", "_auxiliary_train"])
            if (stem.EndsWith(split, StringComparison.Ordinal)) return stem[..^split.Length];
        return stem;
    }

    private static IEnumerable<MappedRow> Rows(DatasetSource source, IReadOnlyList<string> fields) =>
        Rows(source.Path, new TableLayout(source.Table), source.Mapping, fields);

    private static IEnumerable<MappedRow> Rows(string path, TableLayout layout, FieldMapping mapping, IReadOnlyList<string> fields)
    {
        CheckMapping(path, mapping, fields);
        return TableReader.Read(path, layout).Select(r => new MappedRow(r, mapping));
    }

    private static void CheckMapping(string path, FieldMapping mapping, IReadOnlyList<string> fields)
    {
        var unknown = mapping.Columns.Keys.Where(k => !fields.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new BadInputException(
                $"{path}: the field mapping names unknown field(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; " +
                $"this format's fields are {string.Join(", ", fields)}");
    }

    private static IReadOnlyList<string> FilesOf(string path, string pattern)
    {
        if (!Directory.Exists(path)) return [path];
        var files = Directory.GetFiles(path, pattern).Order(StringComparer.Ordinal).ToList();
        return files.Count > 0
            ? files
            : throw new BadInputException($"{path}: the folder holds no {pattern} files; point the dataset at an MMLU file or folder");
    }

    private static string IdOf(MappedRow row) =>
        $"{TableFormats.Stem(row.Position.File)}#{row.Position.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

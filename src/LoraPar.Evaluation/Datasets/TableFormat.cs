using LoraPar.Core;

namespace LoraPar.Evaluation.Datasets;

/// <summary>How a dataset file stores its rows.</summary>
public enum TableFormat
{
    /// <summary>One JSON object per line (<c>.jsonl</c>, optionally gzipped).</summary>
    Jsonl,

    /// <summary>A JSON array of objects, or an object whose <c>data</c> member is that array (Hugging Face dumps).</summary>
    Json,

    /// <summary>Comma-separated values, RFC 4180 quoting.</summary>
    Csv,

    /// <summary>Apache Parquet (Hugging Face dataset shards).</summary>
    Parquet,
}

/// <summary>Recognises a table format from a file name.</summary>
public static class TableFormats
{
    /// <summary>Whether the file is gzip-compressed (its name ends with <c>.gz</c>).</summary>
    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>The table format of <paramref name="path"/> by its extension (a trailing <c>.gz</c> is looked through).</summary>
    public static TableFormat Detect(string path)
    {
        var name = IsGzip(path) ? path[..^3] : path;
        return Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".jsonl" or ".ndjson" => TableFormat.Jsonl,
            ".json" => TableFormat.Json,
            ".csv" => TableFormat.Csv,
            ".parquet" => TableFormat.Parquet,
            var other => throw new BadInputException(
                $"{path}: cannot tell the table format from the extension '{other}'; " +
                "use .jsonl, .json, .csv or .parquet, or state the format in the dataset's configuration"),
        };
    }

    /// <summary>The file name without directory and without its table extensions, e.g. <c>anatomy_test</c> for <c>anatomy_test.csv</c>.</summary>
    public static string Stem(string path)
    {
        var name = Path.GetFileName(path);
        if (IsGzip(name)) name = name[..^3];
        return Path.GetFileNameWithoutExtension(name);
    }
}

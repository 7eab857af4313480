using System.IO.Compression;
using LoraPar.Core;

namespace LoraPar.Evaluation.Datasets;

/// <summary>How to read a table file.</summary>
/// <param name="Format">The table format, or null to recognise it from the file name.</param>
/// <param name="HeaderlessColumns">For a CSV file without a header row, the names of its columns in order; null when the first row is a header.</param>
public sealed record TableLayout(TableFormat? Format = null, IReadOnlyList<string>? HeaderlessColumns = null);

/// <summary>Reads the rows of a JSONL, JSON, CSV or Parquet file (optionally gzipped, except Parquet) as <see cref="RawRow"/>s.</summary>
public static class TableReader
{
    /// <summary>All rows of <paramref name="path"/>, in file order.</summary>
    public static IReadOnlyList<RawRow> Read(string path, TableLayout layout)
    {
        if (!File.Exists(path))
            throw new BadInputException($"{path}: dataset file not found; check the path in the dataset's configuration");
        var format = layout.Format ?? TableFormats.Detect(path);
        if (format == TableFormat.Parquet) return ParquetTableReader.Read(path);
        using var stream = Open(path);
        return format switch
        {
            TableFormat.Jsonl => JsonlTableReader.Read(stream, path),
            TableFormat.Json => JsonTableReader.Read(stream, path),
            TableFormat.Csv => CsvTableReader.Read(stream, path, layout.HeaderlessColumns),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), format, "unknown table format"),
        };
    }

    private static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        return TableFormats.IsGzip(path) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}

using CsvHelper;
using LoraPar.Core;

namespace LoraPar.Evaluation.Datasets;

/// <summary>
/// Reads RFC 4180 CSV with CsvHelper: the first record is the header unless column names are given.
/// Rows are numbered by the 1-based line where they start; empty cells are kept as "".
/// </summary>
internal static class CsvTableReader
{
    public static IReadOnlyList<RawRow> Read(Stream stream, string path, IReadOnlyList<string>? headerlessColumns)
    {
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = headerlessColumns is null,
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
        };
        try
        {
            using var reader = CsvReader.Create(stream, options, leaveOpen: true);
            var columns = headerlessColumns ?? reader.Headers.ToList();
            var rows = new List<RawRow>();
            while (reader.Read())
            {
                var position = new RowPosition(path, reader.LineNumber, RowNumbering.Line);
                var cells = new Dictionary<string, RawValue>(StringComparer.Ordinal);
                for (var i = 0; i < Math.Min(columns.Count, reader.FieldCount); i++) cells[columns[i]] = RawValue.Of(reader.GetString(i));
                rows.Add(new RawRow(position, cells));
            }
            return rows;
        }
        catch (CsvFormatException e)
        {
            var where = e.LineNumber > 0 ? $"{path}:{e.LineNumber}" : path;
            throw new BadInputException($"{where}: malformed CSV ({e.Message}); check the quoting of that record", e);
        }
    }
}

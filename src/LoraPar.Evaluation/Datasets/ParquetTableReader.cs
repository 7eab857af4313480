using System.Collections;
using System.Globalization;
using System.Text;
using LoraPar.Core;
using Parquet.Serialization;

namespace LoraPar.Evaluation.Datasets;

/// <summary>Reads a Parquet file's rows (all row groups) with Parquet.Net's untyped reader; rows are numbered by 0-based index.</summary>
internal static class ParquetTableReader
{
    public static IReadOnlyList<RawRow> Read(string path)
    {
        IList<Dictionary<string, object>> data;
        try
        {
            using var stream = File.OpenRead(path);
            data = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult().Data;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException)
        {
            throw new BadInputException($"{path}: cannot read as Parquet ({e.Message}); check that the file is a complete Parquet file", e);
        }
        var rows = new List<RawRow>(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            var cells = new Dictionary<string, RawValue>(StringComparer.Ordinal);
            foreach (var (name, value) in data[i])
                if (Cell(value) is { } cell) cells[name] = cell;
            rows.Add(new RawRow(new RowPosition(path, i, RowNumbering.Index), cells));
        }
        return rows;
    }

    private static RawValue? Cell(object? value) => value switch
    {
        null => null,
        string or ReadOnlyMemory<char> or byte[] or IFormattable => RawValue.Of(Scalar(value)),
        IEnumerable items => RawValue.List(items.Cast<object?>().Select(Scalar).ToList()),
        _ => RawValue.Of(value.ToString() ?? ""),
    };

    private static string Scalar(object? value) => value switch
    {
        null => "",
        string s => s,
        ReadOnlyMemory<char> m => m.ToString(),
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        bool b => b ? "true" : "false",
        IDictionary<string, object> structure => System.Text.Json.JsonSerializer.Serialize(structure.ToDictionary(kv => kv.Key, kv => Scalar(kv.Value))),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

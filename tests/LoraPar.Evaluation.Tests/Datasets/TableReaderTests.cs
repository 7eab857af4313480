using System.IO.Compression;
using System.Text;
using System.Text.Json.Serialization;
using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Tests.Fakes;
using Parquet.Serialization;

namespace LoraPar.Evaluation.Tests.Datasets;

public sealed class TableReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Jsonl_rows_carry_their_line_numbers_and_skip_blank_lines()
    {
        var path = _temp.Write("a.jsonl", "{\"q\":\"x\",\"n\":3,\"l\":[1,\"b\"],\"z\":null}\n\n{\"q\":\"y\"}\n");
        var rows = TableReader.Read(path, new TableLayout());
        Assert.Equal([1L, 3L], rows.Select(r => r.Position.Number));
        Assert.Equal("3", rows[0].Cells["n"].Text);
        Assert.Equal(["1", "b"], rows[0].Cells["l"].Items!);
        Assert.False(rows[0].Cells.ContainsKey("z"));
        Assert.Equal($"{path}:3", rows[1].Position.ToString());
    }

    [Fact]
    public void Jsonl_with_bad_json_names_file_and_line()
    {
        var path = _temp.Write("bad.jsonl", "{\"q\":1}\n{\"q\": oops}\n");
        var error = Assert.Throws<BadInputException>(() => TableReader.Read(path, new TableLayout()));
        Assert.StartsWith($"{path}:2: not valid JSON", error.Message);
    }

    [Fact]
    public void Gzipped_jsonl_is_read_through()
    {
        var path = _temp.File("a.jsonl.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes("{\"q\":\"x\"}\n"));
        Assert.Equal("x", Assert.Single(TableReader.Read(path, new TableLayout())).Cells["q"].Text);
    }

    [Theory]
    [InlineData("[{\"q\":\"x\"},{\"q\":\"y\"}]")]
    [InlineData("{\"data\":[{\"q\":\"x\"},{\"q\":\"y\"}]}")]
    public void Json_arrays_and_data_dumps_are_rows_by_index(string json)
    {
        var path = _temp.Write("a.json", json);
        var rows = TableReader.Read(path, new TableLayout());
        Assert.Equal(["x", "y"], rows.Select(r => r.Cells["q"].Text));
        Assert.Equal($"{path} row 1", rows[1].Position.ToString());
    }

    [Fact]
    public void Json_without_rows_is_refused() =>
        Assert.Throws<BadInputException>(() => TableReader.Read(_temp.Write("a.json", "{\"rows\":1}"), new TableLayout()));

    [Fact]
    public void Csv_with_header_keeps_quoted_line_breaks_and_counts_lines()
    {
        var path = _temp.Write("a.csv", "instruction,input,output\n\"two\nlines\",,x\nplain,\"a, b\",y\n");
        var rows = TableReader.Read(path, new TableLayout());
        Assert.Equal("two\nlines", rows[0].Cells["instruction"].Text);
        Assert.Equal("", rows[0].Cells["input"].Text);
        Assert.Equal("a, b", rows[1].Cells["input"].Text);
        Assert.Equal([2L, 4L], rows.Select(r => r.Position.Number));
    }

    [Fact]
    public void Headerless_csv_takes_the_given_column_names()
    {
        var path = _temp.Write("s_test.csv", "What?,1,2,3,4,C\n");
        var row = Assert.Single(TableReader.Read(path, new TableLayout(HeaderlessColumns: ["question", "A", "B", "C", "D", "answer"])));
        Assert.Equal("C", row.Cells["answer"].Text);
        Assert.Equal(1L, row.Position.Number);
    }

    [Fact]
    public void Parquet_rows_have_scalars_and_lists()
    {
        var path = _temp.File("m.parquet");
        WriteMmluParquet(path, [new("q?", "anatomy", ["a", "b", "c", "d"], 2), new("r?", "virology", ["x", "y"], 0)]);
        var rows = TableReader.Read(path, new TableLayout());
        Assert.Equal(["a", "b", "c", "d"], rows[0].Cells["choices"].Items!);
        Assert.Equal("2", rows[0].Cells["answer"].Text);
        Assert.Equal("virology", rows[1].Cells["subject"].Text);
        Assert.Equal($"{path} row 1", rows[1].Position.ToString());
    }

    [Fact]
    public void Unknown_extensions_and_missing_files_are_bad_input()
    {
        Assert.Throws<BadInputException>(() => TableReader.Read(_temp.Write("a.txt", "x"), new TableLayout()));
        Assert.Throws<BadInputException>(() => TableReader.Read(_temp.File("none.jsonl"), new TableLayout()));
    }

    /// <summary>Writes rows in the cais/mmlu layout.</summary>
    internal static void WriteMmluParquet(string path, IReadOnlyList<MmluParquetRow> rows) =>
        ParquetSerializer.SerializeAsync(rows, path).GetAwaiter().GetResult();

    /// <summary>A row of the cais/mmlu layout.</summary>
    internal sealed class MmluParquetRow(string question, string subject, List<string> choices, long answer)
    {
        public MmluParquetRow() : this("", "", [], 0) { }

        [JsonPropertyName("question")] public string Question { get; set; } = question;
        [JsonPropertyName("subject")] public string Subject { get; set; } = subject;
        [JsonPropertyName("choices")] public List<string> Choices { get; set; } = choices;
        [JsonPropertyName("answer")] public long Answer { get; set; } = answer;
    }
}

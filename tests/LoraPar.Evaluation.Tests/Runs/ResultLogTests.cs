using LoraPar.Core;
using LoraPar.Evaluation.Runs;
using LoraPar.Evaluation.Tests.Fakes;

namespace LoraPar.Evaluation.Tests.Runs;

public sealed class ResultLogTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Records_survive_reopening()
    {
        var path = _temp.File("log.jsonl");
        using (var log = ResultLog<Row>.Open(path))
        {
            log.Append(new Row("a", 1));
            log.Append(new Row("b", 2));
        }
        using var reopened = ResultLog<Row>.Open(path);
        Assert.Equal(new Row("b", 2), reopened.Records["b"]);
        Assert.Equal(2, reopened.Records.Count);
        Assert.Equal("{\"id\":\"a\",\"value\":1}", File.ReadLines(path).First());
    }

    [Fact]
    public void A_torn_last_line_is_cut_off_and_later_appends_start_clean()
    {
        var path = _temp.Write("log.jsonl", "{\"id\":\"a\",\"value\":1}\n{\"id\":\"b\",\"val");
        using (var log = ResultLog<Row>.Open(path))
        {
            Assert.Equal(["a"], log.Records.Keys);
            log.Append(new Row("b", 2));
        }
        Assert.Equal(["{\"id\":\"a\",\"value\":1}", "{\"id\":\"b\",\"value\":2}"], File.ReadAllLines(path));
    }

    [Fact]
    public void A_complete_last_line_without_newline_is_kept()
    {
        var path = _temp.Write("log.jsonl", "{\"id\":\"a\",\"value\":1}");
        using (var log = ResultLog<Row>.Open(path)) log.Append(new Row("b", 2));
        Assert.Equal(2, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void A_corrupt_line_before_the_end_names_file_and_line()
    {
        var path = _temp.Write("log.jsonl", "{\"id\":\"a\",\"value\":1}\nnot json\n{\"id\":\"c\",\"value\":3}\n");
        var error = Assert.Throws<BadInputException>(() => ResultLog<Row>.Open(path));
        Assert.StartsWith($"{path}:2:", error.Message);
    }

    [Fact]
    public void ReadAll_reads_a_finished_file_without_changing_it_and_names_a_bad_line()
    {
        const string text = "{\"id\":\"a\",\"value\":1}\n\n{\"id\":\"b\",\"value\":2}";
        var path = _temp.Write("log.jsonl", text);
        var records = ResultLog<Row>.ReadAll(path);
        Assert.Equal([new Row("a", 1), new Row("b", 2)], records.Values.OrderBy(r => r.Id));
        Assert.Equal(text, File.ReadAllText(path));                        // no newline appended, nothing repaired

        var bad = _temp.Write("bad.jsonl", "{\"id\":\"a\",\"value\":1}\nnot json\n");
        var error = Assert.Throws<BadInputException>(() => ResultLog<Row>.ReadAll(bad));
        Assert.StartsWith($"{bad}:2:", error.Message);
    }

    [Fact]
    public void Appending_an_id_twice_is_refused()
    {
        using var log = ResultLog<Row>.Open(_temp.File("log.jsonl"));
        log.Append(new Row("a", 1));
        Assert.Throws<InvalidOperationException>(() => log.Append(new Row("a", 2)));
    }

    [Fact]
    public void Batched_run_processes_only_missing_items_in_batches()
    {
        var path = _temp.Write("log.jsonl", "{\"id\":\"2\",\"value\":20}\n");
        var batches = new List<int>();
        using var log = ResultLog<Row>.Open(path);
        var results = BatchedRun.Run(Enumerable.Range(0, 6).ToList(), i => i.ToString(), log, 2, batch =>
        {
            batches.Add(batch.Count);
            return batch.Select(i => new Row(i.ToString(), i * 10)).ToList();
        });
        Assert.Equal([2, 2, 1], batches);
        Assert.Equal([0, 10, 20, 30, 40, 50], results.Select(r => r.Value));
    }

    [Fact]
    public void Batched_run_refuses_duplicate_ids()
    {
        using var log = ResultLog<Row>.Open(_temp.File("log.jsonl"));
        Assert.Throws<BadInputException>(() =>
            BatchedRun.Run([1, 1], i => i.ToString(), log, 2, b => b.Select(i => new Row(i.ToString(), i)).ToList()));
    }

    public sealed record Row(string Id, int Value) : IEvalRecord;
}

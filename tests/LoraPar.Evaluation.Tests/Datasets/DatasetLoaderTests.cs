using System.IO.Compression;
using System.Text;
using LoraPar.Core;
using LoraPar.Evaluation.Datasets;
using LoraPar.Evaluation.Tests.Fakes;
using LoraPar.TestSupport;
using static LoraPar.Evaluation.Tests.Datasets.TableReaderTests;

namespace LoraPar.Evaluation.Tests.Datasets;

public sealed class DatasetLoaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Gsm8k_reads_question_solution_and_gold()
    {
        var path = _temp.Write("train.jsonl", "{\"question\":\"How many?\",\"answer\":\"2+3=5\\n#### 1,005\"}\n");
        var problem = Assert.Single(DatasetLoader.LoadGsm8k(new DatasetSource(path, DatasetFormat.Gsm8k)));
        Assert.Equal(new Gsm8kProblem("train#1", "How many?", "2+3=5\n#### 1,005", "1005"), problem);
        var example = problem.ToExample();
        Assert.Equal("Question: How many?\nAnswer:", example.Prompt);
        Assert.Equal("1005", example.GoldAnswer);
    }

    [Fact]
    public void Gsm8k_field_mapping_renames_columns()
    {
        var path = _temp.Write("t.jsonl", "{\"problem\":\"Q\",\"solution\":\"#### 3\"}\n");
        var mapping = new FieldMapping(new Dictionary<string, string> { ["question"] = "problem", ["answer"] = "solution" });
        Assert.Equal("Q", Assert.Single(DatasetLoader.LoadGsm8k(new DatasetSource(path, DatasetFormat.Gsm8k, mapping))).Question);
    }

    [Fact]
    public void Jsonl_missing_field_names_file_line_and_field()
    {
        var path = _temp.Write("t.jsonl", "{\"question\":\"Q\",\"answer\":\"#### 3\"}\n{\"question\":\"R\"}\n");
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadGsm8k(new DatasetSource(path, DatasetFormat.Gsm8k)));
        Assert.StartsWith($"{path}:2: missing field 'answer'", error.Message);
        Assert.Contains("the row has fields question", error.Message);
    }

    [Fact]
    public void Mapped_missing_field_names_the_column_too()
    {
        var path = _temp.Write("t.jsonl", "{\"question\":\"Q\"}\n");
        var mapping = new FieldMapping(new Dictionary<string, string> { ["answer"] = "solution" });
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadGsm8k(new DatasetSource(path, DatasetFormat.Gsm8k, mapping)));
        Assert.StartsWith($"{path}:1: missing field 'answer' (column 'solution')", error.Message);
    }

    [Fact]
    public void Gsm8k_solution_without_final_answer_is_refused()
    {
        var path = _temp.Write("t.jsonl", "{\"question\":\"Q\",\"answer\":\"it is 3\"}\n");
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadGsm8k(new DatasetSource(path, DatasetFormat.Gsm8k)));
        Assert.StartsWith($"{path}:1: field 'answer'", error.Message);
    }

    [Fact]
    public void Unknown_mapping_fields_are_refused()
    {
        var path = _temp.Write("t.jsonl", "{\"question\":\"Q\",\"answer\":\"#### 3\"}\n");
        var mapping = new FieldMapping(new Dictionary<string, string> { ["questoin"] = "q" });
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadGsm8k(new DatasetSource(path, DatasetFormat.Gsm8k, mapping)));
        Assert.Contains("'questoin'", error.Message);
    }

    [Fact]
    public void Dolly_from_json_dump_with_error_by_row_index()
    {
        var good = _temp.Write("dolly.json",
            "{\"data\":[{\"instruction\":\"Summarise\",\"context\":\"Text.\",\"response\":\"Short.\",\"category\":\"summarization\"}]}");
        var record = Assert.Single(DatasetLoader.LoadDolly(new DatasetSource(good, DatasetFormat.Dolly15k)));
        Assert.Equal("summarization", record.Category);
        var example = record.ToExample();
        Assert.Contains("### Input:\nText.", example.Prompt);
        Assert.EndsWith("### Response:\n", example.Prompt);
        Assert.Equal("Short.", example.Response);

        var bad = _temp.Write("bad.json", "[{\"instruction\":\"a\",\"response\":\"b\"},{\"instruction\":\"c\",\"category\":\"x\"}]");
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadDolly(new DatasetSource(bad, DatasetFormat.Dolly15k)));
        Assert.StartsWith($"{bad} row 1: missing field 'response'", error.Message);
    }

    [Fact]
    public void CodeAlpaca_from_csv_with_error_by_line()
    {
        var good = _temp.Write("code.csv", "instruction,input,output\nAdd,,\"def f(a, b):\n    return a + b\"\n");
        var record = Assert.Single(DatasetLoader.LoadCodeAlpaca(new DatasetSource(good, DatasetFormat.CodeAlpaca)));
        Assert.Equal("def f(a, b):\n    return a + b", record.Output);
        Assert.DoesNotContain("### Input:", record.ToExample().Prompt);

        var bad = _temp.Write("bad.csv", "instruction,input\nAdd,x\n");
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadCodeAlpaca(new DatasetSource(bad, DatasetFormat.CodeAlpaca)));
        Assert.StartsWith($"{bad}:2: missing field 'output'", error.Message);
    }

    [Fact]
    public void Platypus_from_parquet_with_error_by_row_index()
    {
        var path = _temp.File("platypus.parquet");
        WriteMmluParquet(path, [new("q", "s", ["a"], 0)]);
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadPlatypus(new DatasetSource(path, DatasetFormat.OpenPlatypus)));
        Assert.StartsWith($"{path} row 0: missing field 'instruction'", error.Message);

        var mapping = new FieldMapping(new Dictionary<string, string> { ["instruction"] = "question", ["output"] = "subject" });
        var record = Assert.Single(DatasetLoader.LoadPlatypus(new DatasetSource(path, DatasetFormat.OpenPlatypus, mapping)));
        Assert.Equal(new PlatypusRecord("platypus#0", "q", "s"), record);
    }

    [Fact]
    public void Mmlu_csv_folder_takes_subjects_from_file_names()
    {
        _temp.Write("mmlu/anatomy_test.csv", "Which bone?,Femur,Ulna,Skull,Rib,A\n\"Two, lines\nhere\",w,x,y,z,D\n");
        _temp.Write("mmlu/virology_test.csv", "Which virus?,a,b,c,d,B\n");
        var questions = DatasetLoader.LoadMmlu(new DatasetSource(_temp.File("mmlu"), DatasetFormat.MmluCsv));
        Assert.Equal(["anatomy", "anatomy", "virology"], questions.Select(q => q.Subject));
        Assert.Equal([0, 3, 1], questions.Select(q => q.AnswerIndex));
        Assert.Equal(["anatomy_test#1", "anatomy_test#2", "virology_test#1"], questions.Select(q => q.Id));
    }

    [Fact]
    public void Mmlu_csv_bad_answer_and_short_row_name_file_and_line()
    {
        var badAnswer = _temp.Write("a/x_test.csv", "Q,a,b,c,d,A\nQ2,a,b,c,d,E\n");
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadMmlu(new DatasetSource(badAnswer, DatasetFormat.MmluCsv)));
        Assert.StartsWith($"{badAnswer}:2: field 'answer'", error.Message);

        var shortRow = _temp.Write("b/x_test.csv", "Q,a,b,c\n");
        error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadMmlu(new DatasetSource(shortRow, DatasetFormat.MmluCsv)));
        Assert.StartsWith($"{shortRow}:1: missing field 'D'", error.Message);
    }

    [Fact]
    public void Mmlu_parquet_reads_choice_lists_and_integer_answers()
    {
        var path = _temp.File("test-00000-of-00001.parquet");
        WriteMmluParquet(path, [new("q?", "anatomy", ["a", "b", "c", "d"], 2), new("r?", "virology", ["x", "y", "z", "w"], 7)]);
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadMmlu(new DatasetSource(path, DatasetFormat.MmluParquet)));
        Assert.StartsWith($"{path} row 1: field 'answer'", error.Message);

        WriteMmluParquet(path, [new("q?", "anatomy", ["a", "b", "c", "d"], 2)]);
        var question = Assert.Single(DatasetLoader.LoadMmlu(new DatasetSource(path, DatasetFormat.MmluParquet)));
        Assert.Equal(("anatomy", 2, "C"), (question.Subject, question.AnswerIndex, question.AnswerLetter));
        Assert.Equal(["a", "b", "c", "d"], question.Choices);
    }

    [Fact]
    public void HumanEval_reads_gzipped_jsonl_and_names_missing_fields()
    {
        var path = _temp.File("he.jsonl.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes("{\"task_id\":\"T/0\",\"prompt\":\"def f():\\n\",\"canonical_solution\":\"    return 1\\n\",\"test\":\"def check(c): pass\",\"entry_point\":\"f\"}\n{\"task_id\":\"T/1\"}\n"));
        var error = Assert.Throws<BadInputException>(() => DatasetLoader.LoadHumanEval(new DatasetSource(path, DatasetFormat.HumanEval)));
        Assert.StartsWith($"{path}:2: missing field 'prompt'", error.Message);
    }

    [SkippableFact]
    public void Shared_humaneval_has_164_problems()
    {
        var path = SharedData.Require("datasets/humaneval/HumanEval.jsonl.gz");
        var problems = DatasetLoader.LoadHumanEval(new DatasetSource(path, DatasetFormat.HumanEval));
        Assert.Equal(164, problems.Count);
        Assert.Equal("HumanEval/0", problems[0].TaskId);
        Assert.Equal("has_close_elements", problems[0].EntryPoint);
    }

    [Fact]
    public void Load_examples_dispatches_on_the_format()
    {
        var path = _temp.Write("p.jsonl", "{\"instruction\":\"Say hi\",\"output\":\"hi\"}\n");
        var example = Assert.Single(DatasetLoader.LoadExamples(new DatasetSource(path, DatasetFormat.OpenPlatypus)));
        Assert.Equal("p#1", example.Id);
        Assert.Equal("hi", example.Response);
        Assert.Equal("Say hi", example.Metadata["question"]);
    }
}

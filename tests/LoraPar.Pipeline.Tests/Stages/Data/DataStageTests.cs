using System.Text.Json;
using LoraPar.Core;
using LoraPar.Pipeline.Stages.Data;

namespace LoraPar.Pipeline.Tests.Stages.Data;

public sealed class DataStageTests
{
    internal const string Gsm8kTrain =
        "{\"question\": \"Tom has 3 apples and buys 2 more. How many apples does he have?\", \"answer\": \"3+2=<<3+2=5>>5\\n#### 5\"}\n"
        + "{\"question\": \"What is 4 times 6?\", \"answer\": \"#### 24\"}\n"
        + "{\"question\": \"Ann reads 5 pages a day for 3 days, then 4 more. How many pages?\", \"answer\": \"5*3=<<5*3=15>>15\\n15+4=<<15+4=19>>19\\n#### 19\"}\n"
        + "{\"question\": \"Which is larger, 41 or 14?\", \"answer\": \"#### 41\"}\n"
        + "{\"question\": \"A box has 2 bags of 7 pens and 3 loose pens. How many pens?\", \"answer\": \"2*7=<<2*7=14>>14\\n14+3=<<14+3=17>>17\\n#### 17\"}\n";

    private const string Gsm8kTest = "{\"question\": \"What is 9 + 1?\", \"answer\": \"#### 10\"}\n";

    private static StageHarness Synthetic(int train = 12, int eval = 4) =>
        new($"seed = 7\n[data]\nsynthetic_train_size = {train}\nsynthetic_eval_size = {eval}\n", new DataStage());

    private static StageHarness Gsm8k(string extra = "")
    {
        var h = new StageHarness($"[data]\ndataset = \"gsm8k\"\ntrain = \"in/train.jsonl\"\neval = \"in/test.jsonl\"\n{extra}", new DataStage());
        h.Ws.Write("in/train.jsonl", Gsm8kTrain);
        h.Ws.Write("in/test.jsonl", Gsm8kTest);
        return h;
    }

    [Fact]
    public void Synthetic_ranges_bound_every_number_of_the_generated_task()
    {
        using var h = new StageHarness("seed = 7\n[data]\nsynthetic_train_size = 40\nsynthetic_eval_size = 4\n"
            + "[data.synthetic_ranges]\naddend_max = 3\nfactor_max = 2\ncount_max = 6\ncompared_max = 12\nmax_value = 12\n", new DataStage());
        h.Run();
        var train = DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.TrainFile));
        var numbers = train.SelectMany(r => System.Text.RegularExpressions.Regex.Matches(r.Question + " " + r.Answer, @"\d+")).Select(m => int.Parse(m.Value)).ToList();
        Assert.InRange(numbers.Max(), 10, 12);                 // comparisons reach into [10, 12]; nothing exceeds max_value
        var products = train.SelectMany(r => System.Text.RegularExpressions.Regex.Matches(r.Answer, @"<<(\d+)\*(\d+)=")).ToList();
        Assert.NotEmpty(products);
        Assert.All(products, m => Assert.True(m.Groups[1].Value == "2" || m.Groups[2].Value == "2", m.Value));   // factor_max = 2
    }

    [Fact]
    public void The_synthetic_task_is_written_as_rows_with_a_training_form_and_ground_truth_eval_splits()
    {
        using var h = Synthetic();
        h.Run();
        var dir = h.Artifact("data");
        var train = DatasetRows.Read(Path.Combine(dir, DataStage.TrainFile));
        var eval = DatasetRows.Read(Path.Combine(dir, DataStage.EvalFile));
        Assert.Equal(24, train.Count);
        Assert.Equal(12, train.Count(r => r.System == 1));
        Assert.All(train, r =>
        {
            Assert.StartsWith($"Question: {r.Question}\nAnswer: ", r.Prompt);
            Assert.Equal(r.Answer + "\n", r.Response);
            Assert.EndsWith("#### " + r.Gold, r.Answer);
        });
        Assert.Equal(8, eval.Count);
        Assert.All(DatasetRows.Read(Path.Combine(dir, DataStage.EvalSystem1File)), r => Assert.Equal(1, r.System));
        Assert.All(DatasetRows.Read(Path.Combine(dir, DataStage.EvalSystem2File)), r => Assert.Equal(2, r.System));
        Assert.Equal(4, DatasetRows.Read(Path.Combine(dir, DataStage.EvalSystem2File)).Count);
        Assert.Empty(train.Select(r => r.Question).Intersect(eval.Select(r => r.Question)));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, DataStage.SummaryFile)));
        Assert.Equal("synthetic", summary.RootElement.GetProperty("dataset").GetString());
        Assert.Equal(12, summary.RootElement.GetProperty("train").GetProperty("system2").GetInt32());
        Assert.Contains(h.Progress.Tasks, t => t.Description.StartsWith("data") && t.Done == t.Total);
    }

    [Fact]
    public void The_synthetic_task_is_a_pure_function_of_seed_and_sizes()
    {
        using var a = Synthetic();
        using var b = Synthetic();
        a.Run();
        b.Run();
        Assert.Equal(File.ReadAllBytes(Path.Combine(a.Artifact("data"), "train.jsonl")), File.ReadAllBytes(Path.Combine(b.Artifact("data"), "train.jsonl")));
        a.Edit("seed = 8\n[data]\nsynthetic_train_size = 12\nsynthetic_eval_size = 4\n");
        a.Run();
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a.Artifact("data"), "train.jsonl")), File.ReadAllBytes(Path.Combine(b.Artifact("data"), "train.jsonl")));
    }

    [Fact]
    public void A_gsm8k_file_becomes_rows_with_gold_answers_and_its_bytes_key_the_stage()
    {
        using var h = Gsm8k();
        h.Run();
        Assert.Equal(["data"], h.Ran());
        var train = DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.TrainFile));
        Assert.Equal(["5", "24", "19", "41", "17"], train.Select(r => r.Gold));
        Assert.Equal("train#1", train[0].Id);
        Assert.Equal("Question: What is 4 times 6?\nAnswer:", train[1].Prompt);
        Assert.Null(train[0].System);
        Assert.Equal("10", DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.EvalFile)).Single().Gold);
        h.Run();
        Assert.Empty(h.Ran());
        File.Move(h.Ws.PathOf("in/test.jsonl"), h.Ws.PathOf("in/renamed.jsonl"));
        h.Edit("[data]\ndataset = \"gsm8k\"\ntrain = \"in/train.jsonl\"\neval = \"in/renamed.jsonl\"\n");
        h.Run();
        Assert.Empty(h.Ran());
        h.Ws.Write("in/renamed.jsonl", Gsm8kTest + Gsm8kTest.Replace("9 + 1", "8 + 2"));
        h.Run();
        Assert.Equal(["data"], h.Ran());
    }

    [Fact]
    public void Editing_the_data_file_reruns_from_data_and_an_identical_rewrite_reruns_nothing()
    {
        using var h = new StageHarness("[data]\ndataset = \"gsm8k\"\ntrain = \"in/train.jsonl\"\n[splitter]\nmethod = \"heuristic\"\n",
            new DataStage(), new Pipeline.Stages.Labels.LabelsStage());
        h.Ws.Write("in/train.jsonl", Gsm8kTrain);
        h.Run();
        Assert.Equal(["data", "labels"], h.Ran());
        h.Ws.Write("in/train.jsonl", Gsm8kTrain);
        h.Run();
        Assert.Empty(h.Ran());
        h.Ws.Write("in/train.jsonl", Gsm8kTrain.Replace("4 times 6?\", \"answer\": \"#### 24", "4 times 7?\", \"answer\": \"#### 28"));
        h.Run();
        Assert.Equal(["data", "labels"], h.Ran());
        Assert.Contains("28", DatasetRows.Read(Path.Combine(h.Artifact("labels"), Pipeline.Stages.Labels.LabelsStage.System1File)).Select(r => r.Gold));
    }

    [Fact]
    public void Caps_take_a_seeded_subset_in_file_order()
    {
        using var h = Gsm8k("max_train_examples = 3\n");
        h.Run();
        var first = DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.TrainFile));
        Assert.Equal(3, first.Count);
        Assert.Equal(first.OrderBy(r => int.Parse(r.Id.Split('#')[1])).Select(r => r.Id), first.Select(r => r.Id));
        h.Edit("seed = 43\n[data]\ndataset = \"gsm8k\"\ntrain = \"in/train.jsonl\"\neval = \"in/test.jsonl\"\nmax_train_examples = 3\n");
        h.Run();
        Assert.Equal(3, DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.TrainFile)).Count);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(h.Artifact("data"), DataStage.SummaryFile)));
        Assert.Equal(5, summary.RootElement.GetProperty("train").GetProperty("rows_in_file").GetInt32());
    }

    [Fact]
    public void A_malformed_row_is_bad_input_naming_file_and_line_and_leaves_no_artifact()
    {
        using var h = Gsm8k();
        h.Ws.Write("in/train.jsonl", Gsm8kTrain + "{\"question\": \"No final answer\", \"answer\": \"it is 3\"}\n");
        var error = Assert.Throws<BadInputException>(() => h.Run());
        Assert.Contains($"{h.Ws.PathOf("in/train.jsonl")}:6", error.Message);
        Assert.Contains("answer", error.Message);
        Assert.Equal(Pipeline.Stages.ArtifactState.Missing, h.Store.Check("data", h.Plan().Find("default", "data")!.Key).State);
        h.Ws.Write("in/train.jsonl", Gsm8kTrain + "not json\n");
        Assert.Contains(":6", Assert.Throws<BadInputException>(() => h.Run()).Message);
    }

    [Fact]
    public void Dolly_is_evaluated_on_mmlu_rows_with_their_options()
    {
        using var h = new StageHarness("method = \"sft\"\n[data]\ndataset = \"dolly\"\ntrain = \"in/dolly.jsonl\"\neval = \"in/mmlu.jsonl\"\n", new DataStage());
        h.Ws.Write("in/dolly.jsonl", "{\"instruction\": \"Name a colour.\", \"context\": \"\", \"response\": \"Blue.\", \"category\": \"open_qa\"}\n");
        h.Ws.Write("in/mmlu.jsonl", "{\"question\": \"2 + 2 = ?\", \"subject\": \"elementary_mathematics\", \"choices\": [\"3\", \"4\", \"5\", \"6\"], \"answer\": 1}\n");
        h.Run();
        var train = DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.TrainFile)).Single();
        Assert.Equal(("Name a colour.", "Blue.", "open_qa"), (train.Question, train.Answer, train.Metadata!["category"]));
        Assert.Contains("### Instruction:\nName a colour.", train.Prompt);
        var eval = DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.EvalFile)).Single();
        Assert.Equal(["3", "4", "5", "6"], eval.Choices);
        Assert.Equal(("B", "elementary_mathematics"), (eval.Gold, eval.Metadata!["subject"]));
    }

    [Fact]
    public void Code_feedback_is_read_through_a_column_mapping_and_evaluated_on_humaneval()
    {
        using var h = new StageHarness("method = \"sft\"\n[data]\ndataset = \"code-feedback\"\ntrain = \"in/cf.jsonl\"\neval = \"in/he.jsonl\"\n", new DataStage());
        h.Ws.Write("in/cf.jsonl", "{\"query\": \"Reverse a string in Python.\", \"answer\": \"s[::-1]\", \"lang\": \"python\"}\n");
        h.Ws.Write("in/he.jsonl", "{\"task_id\": \"HumanEval/0\", \"prompt\": \"def f():\\n\", \"canonical_solution\": \"    return 1\\n\", "
                                  + "\"test\": \"def check(c): assert c() == 1\", \"entry_point\": \"f\"}\n");
        h.Run();
        var train = DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.TrainFile)).Single();
        Assert.Equal(("Reverse a string in Python.", "s[::-1]"), (train.Question, train.Answer));
        var eval = DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.EvalFile)).Single();
        Assert.Equal(("HumanEval/0", "f"), (eval.Id, eval.Metadata!["entry_point"]));
    }

    [Fact]
    public void Without_an_eval_file_the_eval_set_is_empty()
    {
        using var h = new StageHarness("[data]\ndataset = \"gsm8k\"\ntrain = \"in/train.jsonl\"\n", new DataStage());
        h.Ws.Write("in/train.jsonl", Gsm8kTrain);
        h.Run();
        Assert.Empty(DatasetRows.Read(Path.Combine(h.Artifact("data"), DataStage.EvalFile)));
    }

    [Fact]
    public void Reading_a_broken_rows_file_names_file_and_line()
    {
        using var ws = new Workspace();
        var path = ws.Write("rows.jsonl", "{\"id\": \"a\", \"question\": \"q\", \"answer\": \"a\", \"prompt\": \"p\", \"response\": \"r\"}\n{\"id\": \"b\"}\n");
        var error = Assert.Throws<BadInputException>(() => DatasetRows.Read(path));
        Assert.StartsWith($"{path}:2:", error.Message);
    }
}

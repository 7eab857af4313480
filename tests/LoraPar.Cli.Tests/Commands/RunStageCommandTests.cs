using LoraPar.Cli;

namespace LoraPar.Cli.Tests.Commands;

public sealed class RunStageCommandTests : CliTestFolder
{
    [Fact]
    public void A_bad_dataset_row_exits_2_naming_the_file_and_row_without_a_stack_trace()
    {
        var data = Write("train.jsonl", "{\"question\": \"What is 2 + 2?\", \"answer\": \"#### 4\"}\n{\"question\": \"What is 3 + 3?\"}\n");
        var manifest = Write("m.toml", "artifacts = \"artifacts\"\nprogress = \"none\"\n[data]\ndataset = \"gsm8k\"\ntrain = \"train.jsonl\"\n");
        var (code, _, stderr) = Cli("run", "--stage", "data", manifest);
        Assert.True(code == 2, stderr);
        Assert.Contains($"{data}:2: missing field 'answer'", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Data_then_labels_run_as_single_stages_on_the_synthetic_task()
    {
        var manifest = Write("m.toml", "artifacts = \"artifacts\"\nprogress = \"none\"\n[data]\nsynthetic_train_size = 10\nsynthetic_eval_size = 2\n"
                                       + "[splitter]\nmethod = \"heuristic\"\n");
        foreach (var stage in new[] { "data", "labels" })
        {
            var (code, stdout, stderr) = Cli("run", "--stage", stage, manifest);
            Assert.True(code == 0, stderr);
            Assert.Contains("ran 1 stage", stdout);
        }
        var labels = Directory.GetDirectories(Path.Combine(Dir, "artifacts", "labels")).Single(d => !Path.GetFileName(d).StartsWith('.'));
        Assert.True(File.Exists(Path.Combine(labels, "d2.jsonl")));
    }
}

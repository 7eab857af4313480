using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Runtime;
using LoraPar.TestSupport;

namespace LoraPar.Cli.Tests.Commands;

/// <summary><c>lorapar init</c> → <c>lorapar run</c> on fixture data in each file type, without editing the manifest.</summary>
public sealed class InitCommandTests : CliTestFolder
{
    private const string Jsonl =
        "{\"instruction\":\"What is 2 plus 3?\",\"output\":\"2+3=5\\n#### 5\",\"uid\":\"a\"}\n"
        + "{\"instruction\":\"Name the colour of the sky.\",\"output\":\"Blue.\",\"uid\":\"b\"}\n"
        + "{\"instruction\":\"Ann has 4 bags of 3 pens and 2 more pens. How many pens?\",\"output\":\"4*3=12\\n12+2=14\\n#### 14\",\"uid\":\"c\"}\n"
        + "{\"instruction\":\"Is 7 larger than 9?\",\"output\":\"No.\",\"uid\":\"d\"}\n";

    [Theory]
    [InlineData("own.jsonl")]
    [InlineData("own.csv")]
    public void Init_then_dry_run_works_without_edits(string file)
    {
        var data = file.EndsWith(".csv")
            ? Write(file, "question,answer,label\n\"What is 2 plus 3?\",\"#### 5\",1\n\"Why is the sky blue?\",\"Rayleigh scattering.\",2\n")
            : Write(file, Jsonl);
        var manifest = Path.Combine(Dir, "experiments", "mine.toml");
        var (code, output, error) = Cli("init", "--data", data, "--out", manifest);
        Assert.True(code == 0, error);
        Assert.Contains($"wrote {manifest}", output);
        var text = File.ReadAllText(manifest);
        Assert.Contains("dataset = \"question-answer\"", text);
        Assert.Contains("train = \"../" + file + "\"", text);
        if (file.EndsWith(".jsonl")) Assert.Contains("[data.columns]\nquestion = \"instruction\"\nanswer = \"output\"\nid = \"uid\"\n", text);
        else Assert.Contains("[data.columns]\nquestion = \"question\"\nanswer = \"answer\"\nlabel = \"label\"\n", text);
        var dry = Cli("run", manifest, "--dry-run");
        Assert.True(dry.Item1 == 0, dry.Item3 + dry.Item2);
        Assert.Contains("dataset = \"question-answer\"", dry.Item2);
        Assert.Equal(2, Cli("init", "--data", data, "--out", manifest).Code);   // never overwrites without --force
    }

    [Theory]
    [InlineData("held.csv", "question,answer\n\"What is 4 plus 4?\",8\n\"What is 1 plus 2?\",3\n", "numeric")]
    [InlineData("held.jsonl", "{\"query\":\"Is 2 larger than 1?\",\"response\":\"Yes.\"}\n{\"query\":\"Sky colour?\",\"response\":\"Blue.\"}\n", "exact")]
    public void Init_with_a_held_out_file_writes_eval_own_and_a_reward_of_its_metric(string file, string rows, string metric)
    {
        var (data, heldOut) = (Write("own.jsonl", Jsonl), Write(file, rows));
        var manifest = Path.Combine(Dir, "experiments", "mine.toml");
        var (code, output, error) = Cli("init", "--data", data, "--eval", heldOut, "--out", manifest);
        Assert.True(code == 0, error);
        Assert.Contains($"eval: metric {metric} (guessed from the first gold answer)", output);
        var text = File.ReadAllText(manifest);
        Assert.Contains($"[[rl.own_rewards]]\nkind = \"{metric}\"\nweight = 1.0\n", text);
        Assert.Contains("[eval]\nbenchmarks = [\"own\"]", text);
        Assert.Contains($"[eval.own]\npath = \"../{file}\"\ndataset = \"question-answer\"\nmetric = \"{metric}\"", text);
        Assert.Contains(metric == "exact" ? "[eval.own.columns]\nquestion = \"query\"\nanswer = \"response\"\n"
            : "[eval.own.columns]\nquestion = \"question\"\nanswer = \"answer\"\n", text);
        var dry = Cli("run", manifest, "--dry-run");
        Assert.True(dry.Item1 == 0, dry.Item3 + dry.Item2);
        Assert.Contains("rl.own_rewards on the first 3 training answers", dry.Item2);
        Assert.Contains($"  a: {metric} 1/1", dry.Item2);                             // the first training answer passes its own check
    }

    [SkippableFact]
    public void Init_with_the_example_chats_and_held_out_file_then_a_real_run_grades_the_held_out_file()
    {
        var spm = SharedData.Require("models/llama2-tokenizer/tokenizer.model");
        TorchRuntime.EnsureInitialized();
        var model = TinyCheckpoint.Write(Path.Combine(Dir, "model"), spm, new TinyCheckpointShape(), seed: 1);
        var examples = Path.Combine(Slurm.SlurmCluster.RepositoryRoot(), "experiments", "examples", "data");
        var manifest = Path.Combine(Dir, "own.toml");
        var (code, output, error) = Cli("init", "--model", model, "--data", Path.Combine(examples, "chats.jsonl"),
            "--eval", Path.Combine(examples, "held-out.jsonl"), "--out", manifest);
        Assert.True(code == 0, error);
        Assert.Contains("eval: metric numeric", output);
        var small = Write("small.toml", "extends = \"own.toml\"\nartifacts = \"artifacts\"\ndevice = \"cpu\"\n"
            + "[importance]\nsamples_per_system = 2\nmax_length = 128\n[sft]\nmax_length = 128\ngradient_accumulation_steps = 1\n"
            + "[rl]\nnum_generations = 2\nprompts_per_batch = 2\ngradient_accumulation_steps = 1\nmax_prompt_length = 96\nmax_completion_length = 8\n"
            + "[eval]\nmax_new_tokens = 8\nlimit = 3\n");
        var dry = Cli("run", small, "--dry-run");
        Assert.True(dry.Code == 0, dry.Err + dry.Out);
        Assert.Contains("chats-0: numeric 1/1", dry.Out);
        var run = Cli("run", small);
        Assert.True(run.Code == 0, run.Err + run.Out);
        Assert.Matches(@"Own held-out +\d+\.\d% +\d+\.\d% +\d+\.\d%", run.Out);   // graded at every point
        var show = Cli("show", small, "--json");
        Assert.True(show.Code == 0, show.Err);
        Assert.Contains("own_accuracy_stage2", show.Out);
    }

    [SkippableFact]
    public void Init_on_a_checkpoint_and_parquet_chat_data_then_a_real_run_trains_and_reports_its_warnings()
    {
        var spm = SharedData.Require("models/llama2-tokenizer/tokenizer.model");
        TorchRuntime.EnsureInitialized();
        var model = TinyCheckpoint.Write(Path.Combine(Dir, "model"), spm, new TinyCheckpointShape(), seed: 1);
        var data = Path.Combine(Dir, "chat.parquet");
        OwnParquet.WriteChats(data, 8);
        var manifest = Path.Combine(Dir, "chat.toml");
        var (code, output, error) = Cli("init", "--model", model, "--data", data, "--out", manifest);
        Assert.True(code == 0, error);
        Assert.Contains("LLaMA checkpoint: 2 layers, d = 32", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("layout messages", output);
        // the manifest as written, only made small enough for a test: sizes appended in a child that extends it
        var small = Write("small.toml", "extends = \"chat.toml\"\nartifacts = \"artifacts\"\ndevice = \"cpu\"\n"
            + "[importance]\nsamples_per_system = 2\nmax_length = 48\n[sft]\nmax_length = 44\ngradient_accumulation_steps = 1\n"
            + "[rl]\nnum_generations = 2\nprompts_per_batch = 2\ngradient_accumulation_steps = 1\nmax_prompt_length = 48\nmax_completion_length = 8\n"
            + "[eval]\nmax_new_tokens = 4\n");
        var run = Cli("run", small);
        Assert.True(run.Code == 0, run.Err + run.Out);
        Assert.Contains("warnings that change results", run.Out);
        Assert.Contains("sft.max_length = 44", run.Out);
    }
}

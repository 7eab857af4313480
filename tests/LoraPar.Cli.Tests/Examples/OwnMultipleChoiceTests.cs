using System.Text.Json;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Runtime;
using LoraPar.TestSupport;

namespace LoraPar.Cli.Tests.Examples;

/// <summary>
/// Multiple-choice data of one's own, end to end: GRPO rewarded by a choice reward that reads each training row's options
/// from a column (<c>options_column</c>), and the held-out file graded by option log-likelihood on its first
/// <c>eval.limit</c> rows.
/// </summary>
public sealed class OwnMultipleChoiceTests : CliTestFolder
{
    private static readonly (string Question, string Answer, string[] Options)[] Rows =
    [
        ("Capital of France?", "Paris", ["Paris", "Rome", "Oslo"]), ("Capital of Italy?", "Rome", ["Paris", "Rome"]),
        ("Colour of the sky?", "blue", ["red", "blue", "green"]), ("Is ice cold?", "yes", ["yes", "no"]),
        ("Largest planet?", "Jupiter", ["Mars", "Jupiter"]), ("Is fire cold?", "no", ["yes", "no"]),
    ];

    [SkippableFact]
    public void A_choice_reward_reads_each_rows_options_from_a_column_through_a_real_run()
    {
        var spm = SharedData.Require("models/llama2-tokenizer/tokenizer.model");
        TorchRuntime.EnsureInitialized();
        var model = TinyCheckpoint.Write(Path.Combine(Dir, "model"), spm, new TinyCheckpointShape(), seed: 1);
        Write("mc.csv", "question,answer,choices\n" + string.Concat(Rows.Select(r =>
            $"\"{r.Question}\",\"{r.Answer}\",\"{JsonSerializer.Serialize(r.Options).Replace("\"", "\"\"")}\"\n")));
        var manifest = Write("mc.toml", $"name = \"mc\"\nartifacts = \"artifacts\"\ndevice = \"cpu\"\n[model]\nsource = \"checkpoint\"\npath = {JsonSerializer.Serialize(model)}\n"
            + "[data]\ndataset = \"question-answer\"\ntrain = \"mc.csv\"\nchat_template = \"none\"\n[splitter]\nmethod = \"random\"\n"
            + "[importance]\nsamples_per_system = 2\nmax_length = 64\n[sft]\nmax_length = 64\nbatch_size = 2\ngradient_accumulation_steps = 1\n"
            + "[rl]\nnum_generations = 2\nprompts_per_batch = 2\ngradient_accumulation_steps = 1\nmax_prompt_length = 96\nmax_completion_length = 4\n"
            + "prompt_rows = \"all\"\n[[rl.own_rewards]]\nkind = \"choice\"\noptions_column = \"choices\"\n"
            + "[eval]\nbenchmarks = [\"own\"]\nlimit = 2\n[eval.own]\npath = \"mc.csv\"\nmetric = \"choice\"\noptions = \"choices\"\n");

        var dry = Cli("run", manifest, "--dry-run");
        Assert.True(dry.Code == 0, dry.Err + dry.Out);
        Assert.Contains("  mc#4: choice 1/1", dry.Out);            // "blue" among its own row's options (no other row has it)
        Assert.DoesNotContain("warning: ", dry.Out);

        var run = Cli("run", manifest);
        Assert.True(run.Code == 0, run.Err + run.Out);
        Assert.Matches(@"Own held-out +\d+\.\d% +\d+\.\d% +\d+\.\d%", run.Out);
        var graded = Directory.GetFiles(Path.Combine(Dir, "artifacts", "eval"), "own_stage2.jsonl", SearchOption.AllDirectories);
        Assert.Equal(2, File.ReadAllLines(Assert.Single(graded)).Length);   // eval.limit = 2 of the 6 held-out rows
    }
}

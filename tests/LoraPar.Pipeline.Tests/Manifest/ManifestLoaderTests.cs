using LoraPar.Adapters;
using LoraPar.Core;
using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Manifest;
using LoraPar.Training.Grpo;

namespace LoraPar.Pipeline.Tests.Manifest;

public sealed class ManifestLoaderTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private string Errors(string toml, string file = "m.toml")
    {
        _ws.Write(file, toml);
        return Assert.Throws<BadInputException>(() => _ws.Load(file)).Message;
    }

    [Fact]
    public void An_empty_manifest_has_the_authors_defaults()
    {
        _ws.Write("m.toml", "");
        var m = _ws.Load("m.toml").Manifest;
        Assert.Equal("m", m.Name);
        Assert.Equal((8, 64.0, 0.05, LoraTargets.Qkvgud, LoraInit.GaussianBoth, 0.01),
            (m.Lora.R, m.Lora.Alpha, m.Lora.Dropout, m.Lora.Targets, m.Lora.Init, m.Lora.Sigma));
        Assert.Equal((2e-4, 0.03, 1, 32, 512, 1),
            (m.Sft.LearningRate, m.Sft.WarmupRatio, m.Sft.Batching.BatchSize, m.Sft.GradientAccumulationSteps, m.Sft.Batching.MaxLength, m.Sft.Epochs));
        Assert.Equal((5e-6, 0.9, 0.99, 0.1, 0.1, 8, 128, 256, 0.1),
            (m.Rl.LearningRate, m.Rl.Beta1, m.Rl.Beta2, m.Rl.WeightDecay, m.Rl.WarmupRatio, m.Rl.NumGenerations,
             m.Rl.MaxPromptLength, m.Rl.MaxCompletionLength, m.Rl.MaxGradNorm));
        Assert.Equal((1.0, 1.0, 1.0, 1.0, 1.0, 0.0),
            (m.Rl.Rewards.Correctness, m.Rl.Rewards.IntegerAnswer, m.Rl.Rewards.StrictFormat, m.Rl.Rewards.SoftFormat, m.Rl.Rewards.XmlTagCount,
             m.Rl.Rewards.HashCorrectness));
        Assert.Equal((100, 1, 512), (m.Importance.SamplesPerSystem, m.Importance.BatchSize, m.Importance.MaxLength));
        Assert.Equal((0.9, 1.0, 1.0, MaskStrategy.Importance), (m.Partition.Theta, m.Partition.Alpha, m.Partition.Beta, m.Partition.Selection));
        Assert.Equal(Path.Combine(_ws.Root, "artifacts"), m.Artifacts);
    }

    [Fact]
    public void Values_and_kebab_case_enums_are_read()
    {
        _ws.Write("m.toml", "name = \"x\"\nseed = 7\ndevice = \"cpu\"\nmethod = \"sft-then-rl\"\n[lora]\nr = 16\nalpha = 32\ninit = \"gaussian-both\"\n"
            + "[rl]\nloss_type = \"dr-grpo\"\n[rl.rewards]\ncorrectness = 1.5\n[eval]\nbenchmarks = [\"gsm8k\", \"humaneval\"]\n"
            + "[eval.humaneval]\npath = \"HumanEval.jsonl\"\n");
        _ws.Write("HumanEval.jsonl", "");
        var m = _ws.Load("m.toml").Manifest;
        Assert.Equal(("x", 7L, DeviceChoice.Cpu, TrainingMethod.SftThenRl), (m.Name, m.Seed, m.Device, m.Method));
        Assert.Equal((16, 32.0), (m.Lora.R, m.Lora.Alpha));
        Assert.Equal(LossAggregation.DrGrpo, m.Rl.Loss.LossType);
        Assert.Equal(1.5, m.Rl.Rewards.Correctness);
        Assert.Equal([Benchmark.Gsm8k, Benchmark.Humaneval], m.Eval.Benchmarks);
    }

    [Fact]
    public void Tiny_model_corpus_settings_are_read_and_range_checked()
    {
        _ws.Write("m.toml", "[model.tiny]\npretrain_drill_fraction = 0.4\npretrain_pool_size = 300\n");
        var tiny = _ws.Load("m.toml").Manifest.Model.Tiny;
        Assert.Equal((0.4, 300), (tiny.PretrainDrillFraction, tiny.PretrainPoolSize));
        Assert.Contains("m.toml:2:1 model.tiny.pretrain_drill_fraction: 0.99 is out of range; expected a value in [0, 0.95]",
            Errors("[model.tiny]\npretrain_drill_fraction = 0.99\n"));
    }

    [Fact]
    public void Synthetic_ranges_are_read_and_cross_checked()
    {
        _ws.Write("m.toml", "[data.synthetic_ranges]\naddend_max = 5\nfactor_max = 3\ncount_max = 10\ncompared_max = 30\nmax_value = 30\n");
        var ranges = _ws.Load("m.toml").Manifest.Data.SyntheticRanges;
        Assert.Equal((5, 3, 10, 30, 30), (ranges.AddendMax, ranges.FactorMax, ranges.CountMax, ranges.ComparedMax, ranges.MaxValue));
        var message = Errors("[data.synthetic_ranges]\ncount_max = 20\naddend_max = 9\nmax_value = 25\n");
        Assert.Contains("m.toml:4:1 data.synthetic_ranges.max_value: 25 is below count_max + addend_max (29)", message);
        Assert.Contains("25 is below compared_max (99)", message);
        Assert.Contains("data.synthetic_ranges: synthetic_ranges shapes the synthetic task",
            Errors("[data]\ndataset = \"gsm8k\"\ntrain = \"t.jsonl\"\n[data.synthetic_ranges]\nmax_value = 50\n"));
    }

    [Fact]
    public void Extends_deep_merges_tables_and_resolves_paths_against_the_file_that_wrote_them()
    {
        _ws.Write("data/train.jsonl", "{}\n");
        _ws.Write("data/eval.jsonl", "{}\n");
        _ws.Write("base/base.toml", "seed = 1\n[lora]\nr = 4\ndropout = 0.1\n[data]\ntrain = \"../data/train.jsonl\"\neval = \"../data/eval.jsonl\"\n");
        _ws.Write("exp/child.toml", "extends = \"../base/base.toml\"\n[lora]\nr = 16\n");
        var m = _ws.Load("exp/child.toml").Manifest;
        Assert.Equal((1L, 16, 0.1), (m.Seed, m.Lora.R, m.Lora.Dropout));
        Assert.Equal(_ws.PathOf("data/train.jsonl"), m.Data.Train!.Resolved);
        Assert.Equal("child", m.Name);
    }

    [Fact]
    public void All_errors_are_reported_at_once_sorted_by_position()
    {
        var message = Errors("seed = \"x\"\n[lora]\nalpah = 8\ndropout = 1.5\n[partition]\ntheta = 0.0\n");
        var lines = message.Split('\n');
        Assert.Equal(
        [
            "m.toml:1:1 seed: expected an integer, got string \"x\"",
            "m.toml:3:1 lora.alpah: unknown key; did you mean 'alpha'?",
            "m.toml:4:1 lora.dropout: 1.5: must lie in [0, 1)",
            "m.toml:6:1 partition.theta: 0 is outside (0, 1]: θ is the share of each system's total importance to keep (the paper uses 0.9 or 0.95; 1 keeps every element with non-zero importance)",
        ], lines);
    }

    [Fact]
    public void A_cycle_of_extends_is_an_error()
    {
        _ws.Write("a.toml", "extends = \"b.toml\"\n");
        var message = Errors("extends = \"a.toml\"\n", "b.toml");
        Assert.Contains("extends itself through a cycle", message);
    }

    [Fact]
    public void Missing_paths_are_errors_when_running_and_warnings_for_a_dry_run()
    {
        _ws.Write("m.toml", "[model]\nsource = \"checkpoint\"\npath = \"${CKPT}\"\n[data]\ntrain = \"nope.jsonl\"\n");
        var error = Assert.Throws<BadInputException>(() => _ws.Load("m.toml")).Message;
        Assert.Contains("m.toml:3:8 model.path: environment variable CKPT is not set", error);
        Assert.Contains($"m.toml:5:9 data.train: file not found: {_ws.PathOf("nope.jsonl")}", error);
        var dry = _ws.Load("m.toml", PathCheckMode.Warnings);
        Assert.Equal(2, dry.Warnings.Count);
        var withEnv = _ws.Load("m.toml", PathCheckMode.Warnings, name => name == "CKPT" ? _ws.Root : null);
        Assert.Equal(_ws.Root, withEnv.Manifest.Model.Path!.Resolved);
        Assert.Single(withEnv.Warnings);
    }

    [Fact]
    public void A_path_of_the_wrong_kind_is_an_error_even_for_a_dry_run()
    {
        Directory.CreateDirectory(_ws.PathOf("folder"));
        _ws.Write("file.txt", "x");
        _ws.Write("m.toml", "artifacts = \"file.txt\"\n[model]\nsource = \"checkpoint\"\npath = \"file.txt\"\n[data]\ntrain = \"folder\"\n");
        var message = Assert.Throws<BadInputException>(() => _ws.Load("m.toml", PathCheckMode.Warnings)).Message;
        Assert.Equal(
        [
            $"m.toml:1:13 artifacts: expected a folder, found a file: {_ws.PathOf("file.txt")}",
            $"m.toml:4:8 model.path: expected a folder, found a file: {_ws.PathOf("file.txt")}",
            $"m.toml:6:9 data.train: expected a file, found a folder: {_ws.PathOf("folder")}",
        ], message.Split('\n'));
    }

    [Theory]
    [InlineData("quickstart", null)]
    [InlineData("a/b", "'a/b' is not a usable run name; use letters, digits, '.', '_' or '-'")]
    [InlineData("", "'' is not a usable run name; use letters, digits, '.', '_' or '-'")]
    public void A_run_name_is_a_short_safe_word(string name, string? problem) => Assert.Equal(problem, ManifestLoader.RunNameProblem(name));

    [Fact]
    public void A_run_name_over_the_limit_is_a_problem_that_does_not_repeat_it()
    {
        Assert.Null(ManifestLoader.RunNameProblem(new string('n', ManifestLoader.MaxNameLength)));
        Assert.Equal("a run name of 1000000 characters is too long; use at most 100", ManifestLoader.RunNameProblem(new string('n', 1_000_000)));
    }

    [Fact]
    public void Every_section_key_in_the_json_form_is_a_key_the_loader_accepts()
    {
        var json = ManifestJson.ToJson(new PipelineManifest { Data = new DataSection { Dataset = DatasetKind.Synthetic } }, includePaths: false);
        var toml = ManifestJson.ToToml(new PipelineManifest { Data = new DataSection { Dataset = DatasetKind.Synthetic } });
        _ws.Write("roundtrip.toml", toml);
        var loaded = _ws.Load("roundtrip.toml").Manifest;
        Assert.Equal(json.ToJsonString(), ManifestJson.ToJson(loaded with { Name = "experiment" }, includePaths: false).ToJsonString());
    }
}

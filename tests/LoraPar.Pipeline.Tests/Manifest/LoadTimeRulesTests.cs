using LoraPar.Core;
using LoraPar.Model.Llama;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.TestSupport;

namespace LoraPar.Pipeline.Tests.Manifest;

/// <summary>
/// Rules that used to fire inside a stage, minutes or hours into a run, now fire when the manifest is loaded (so on
/// <c>run --dry-run</c>), each at the key that decides it.
/// </summary>
public sealed class LoadTimeRulesTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private string Errors(string toml, PathCheckMode mode = PathCheckMode.Errors)
    {
        _ws.Write("m.toml", toml);
        return Assert.Throws<BadInputException>(() => _ws.Load("m.toml", mode)).Message;
    }

    [Fact]
    public void Sft_weight_decay_is_checked_by_the_trainer_options_own_range() =>
        Assert.Contains("m.toml:2:1 sft.weight_decay: 1.5: must lie in [0, 1)", Errors("[sft]\nweight_decay = 1.5\n"));

    [Fact]
    public void Grpo_cross_field_rules_fire_at_the_key_that_breaks_them() =>
        Assert.Contains("m.toml:3:1 rl.max_steps: 3: must be a positive multiple of num_iterations (2)",
            Errors("[rl]\nnum_iterations = 2\nmax_steps = 3\n"));

    [Fact]
    public void Reward_weights_are_validated_as_a_nested_record() =>
        Assert.Contains("m.toml:2:1 rl.rewards.correctness: every reward weight is 0",
            Errors("[rl.rewards]\ncorrectness = 0.0\ninteger_answer = 0.0\nstrict_format = 0.0\nsoft_format = 0.0\nxml_tag_count = 0.0\n"));

    [Fact]
    public void Grpo_on_instruction_data_loads_and_is_refused_only_when_no_reward_applying_to_free_text_has_a_weight()
    {
        _ws.Write("dolly.jsonl", "{}\n");
        const string data = "[data]\ndataset = \"dolly\"\ntrain = \"dolly.jsonl\"\n";
        _ws.Write("m.toml", "method = \"lora-par\"\n" + data);
        Assert.Equal(TrainingMethod.LoraPar, _ws.Load("m.toml").Manifest.Method);
        // integer_answer is GSM8K's: on Dolly it is no signal, so this weighting leaves GRPO nothing to learn from.
        Assert.Contains("m.toml:6:1 rl.rewards.correctness: data.dataset = \"dolly\": on instruction and code data GRPO is rewarded by reference overlap",
            Errors("method = \"lora-par\"\n" + data + "[rl.rewards]\ncorrectness = 0.0\nstrict_format = 0.0\nsoft_format = 0.0\nxml_tag_count = 0.0\n"));
        _ws.Write("m.toml", "method = \"sft\"\n" + data + "[rl.rewards]\ncorrectness = 0.0\nstrict_format = 0.0\nsoft_format = 0.0\nxml_tag_count = 0.0\n");
        Assert.Equal(TrainingMethod.Sft, _ws.Load("m.toml").Manifest.Method);
    }

    [Fact]
    public void Cuda_on_the_cpu_build_is_an_error_to_run_and_a_warning_to_dry_run()
    {
        Assert.Contains("m.toml:1:1 device: device = \"cuda\", but this lorapar is the CPU build", Errors("device = \"cuda\"\n"));
        var dry = _ws.Load("m.toml", PathCheckMode.Warnings);
        Assert.Contains(dry.Warnings, w => w.Key == "device" && w.Message.Contains("CPU build"));
    }

    [Theory]
    [InlineData("[lora]\nr = 1000000\n", "m.toml:2:1 lora.r:")]
    [InlineData("[model.tiny]\nlayers = 100000000\n", "m.toml:2:1 model.tiny.layers:")]
    [InlineData("[model.tiny]\nhidden_size = 4000000\nheads = 1\n", "m.toml:2:1 model.tiny.hidden_size:")]
    [InlineData("[sft]\nbatch_size = 100000000\n", "m.toml:2:1 sft.batch_size:")]
    public void Absurd_sizes_are_refused_at_the_size_that_breaks_the_estimate(string toml, string at)
    {
        var error = Errors(toml);
        Assert.Contains(at + " the model, adapter and batches need about", error);
        Assert.Contains("more than this machine's", error);
    }

    [Fact]
    public void The_built_in_defaults_fit_well_within_the_estimate() =>
        Assert.True(MemoryEstimate.Of(new PipelineManifest()).Total < 1L << 30);

    [Fact]
    public void Lora_targets_take_presets_or_llama_module_names_and_refuse_typos()
    {
        _ws.Write("m.toml", "[lora]\ntargets = [\"q_proj\", \"o_proj\"]\n[sweep]\nmodules = [\"qkv\", \"o_proj,v_proj\"]\n");
        var m = _ws.Load("m.toml").Manifest;
        Assert.Equal("q_proj,o_proj", m.Lora.Targets.SettingText);
        Assert.Equal(["qkv", "o_proj,v_proj"], m.Sweep.Modules.Select(t => t.SettingText));
        Assert.Contains("m.toml:2:1 lora.targets: unknown value 'qproj' (not a LoRA target)", Errors("[lora]\ntargets = \"qproj\"\n"));
    }

    [SkippableTheory]
    [InlineData(64, true)]
    [InlineData(32000, false)]
    public void A_checkpoint_whose_tokenizer_outgrows_its_embedding_is_refused_naming_both_sizes(int vocabSize, bool refused)
    {
        var spm = SharedData.Require("models/llama2-tokenizer/tokenizer.model");
        _ws.Write("model/config.json", (new LlamaConfig { VocabSize = vocabSize, HiddenSize = 32, NumHiddenLayers = 2,
            NumAttentionHeads = 4, NumKeyValueHeads = 4, IntermediateSize = 64 }).ToJson());
        File.Copy(spm, _ws.PathOf("model/tokenizer.model"));
        const string toml = "method = \"sft\"\n[model]\nsource = \"checkpoint\"\npath = \"model\"\n";
        if (!refused)
        {
            _ws.Write("m.toml", toml);
            Assert.Equal(ModelSource.Checkpoint, _ws.Load("m.toml").Manifest.Model.Source);
            return;
        }
        var error = Errors(toml);
        Assert.Contains("m.toml:4:1 model.path:", error);
        Assert.Contains("the tokenizer has 32000 tokens but config.json has vocab_size = 64", error);
        Assert.DoesNotContain('\n', error);
    }

    [Theory]
    [InlineData("mkl_path = \"avx512\"\n", "m.toml:1:12 mkl_path: unknown value 'avx512'; expected one of auto, vendor, avx2")]
    [InlineData("threads = 0\n", "m.toml:1:1 threads: 0 is out of range; expected a value in [1, 1024]")]
    [InlineData("threads = 2.5\n", "m.toml:1:1 threads: expected an integer")]
    [InlineData("[sft]\nmax_update_ratio = 1.0\n", "m.toml:2:1 sft.max_update_ratio:")]
    [InlineData("[rl]\nmax_update_ratio = inf\n", "m.toml:2:1 rl.max_update_ratio: inf is not a finite number")]
    [InlineData("[splitter.resilience]\nrequest_timeout_seconds = 1e300\n", "m.toml:2:1 splitter.resilience.request_timeout_seconds: 1E+300 seconds is too long")]
    [InlineData("[splitter.resilience]\nmax_concurrency = 0\n", "m.toml:2:1 splitter.resilience.max_concurrency: 0; it must be at least 1")]
    [InlineData("[rl.rewards]\nstrict_format = -0.5\n", "m.toml:2:1 rl.rewards.strict_format: -0.5: a weight must be a finite number, 0 or more")]
    public void New_settings_refuse_bad_values_at_load(string toml, string expected) => Assert.Contains(expected, Errors(toml));

    [SkippableFact]
    public void A_7b_checkpoint_on_the_cpu_is_refused_when_its_weights_exceed_the_machine_memory()
    {
        var spm = SharedData.Require("models/llama2-tokenizer/tokenizer.model");
        _ws.Write("model/config.json", new LlamaConfig { NumHiddenLayers = 320 }.ToJson());   // LLaMA-2-7B shapes × 10 layers: 65 B
        File.Copy(spm, _ws.PathOf("model/tokenizer.model"));
        var error = Errors("method = \"sft\"\ndevice = \"cpu\"\n[model]\nsource = \"checkpoint\"\npath = \"model\"\n");
        Assert.Contains("model.path: the checkpoint's weights alone need", error);
        Assert.Contains("more than this machine's", error);
    }

    [Fact]
    public void Run_seeds_are_not_keys_of_the_settings_records()
    {
        Assert.Contains("m.toml:2:1 sft.seed: unknown key", Errors("[sft]\nseed = 3\n"));
        Assert.Contains("m.toml:2:1 partition.seed: unknown key", Errors("[partition]\nseed = 3\n"));
    }

    [Fact]
    public void Checkpoint_cadence_stays_out_of_stage_keys()
    {
        _ws.Write("a.toml", "[sft]\ncheckpoint_every = 5\n[rl]\ncheckpoint_every = 2\n");
        _ws.Write("b.toml", "");
        Assert.Equal(ManifestJson.Select(_ws.Load("b.toml").Manifest, ["sft", "rl"]).ToJsonString(),
            ManifestJson.Select(_ws.Load("a.toml").Manifest, ["sft", "rl"]).ToJsonString());
    }

    [Theory]
    [InlineData("quickstart.toml")]
    [InlineData("ci.toml")]
    public void The_printed_manifest_loads_back_to_the_same_settings(string name)
    {
        var root = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(root, "experiments", "paper"))) root = Path.GetDirectoryName(root)!;
        // A copy in the workspace: its artifacts = "../artifacts" resolves there, not to the checkout's artifacts.
        _ws.Write(Path.Combine("experiments", name), File.ReadAllText(Path.Combine(root, "experiments", name)));
        var original = _ws.Load(Path.Combine("experiments", name)).Manifest;
        _ws.Write("printed.toml", ManifestJson.ToToml(original));
        var again = _ws.Load("printed.toml").Manifest;
        Assert.Equal(ManifestJson.ToJson(original, includePaths: false).ToJsonString(),
            ManifestJson.ToJson(again, includePaths: false).ToJsonString());
    }
}

using System.Text.Json.Nodes;
using LoraPar.Adapters.Peft;
using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests.Peft;

public sealed class PeftAdapterFormatTests : TorchTest
{
    private static string TempDir() => Path.Combine(Path.GetTempPath(), $"peft-{Guid.NewGuid():N}");

    [Fact]
    public void Keys_map_to_PEFTs_exact_strings()
    {
        Assert.Equal("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", PeftAdapterFormat.PeftKey("model.layers.0.self_attn.q_proj.lora_A"));
        Assert.Equal("base_model.model.model.layers.3.mlp.down_proj.lora_B.weight", PeftAdapterFormat.PeftKey("model.layers.3.mlp.down_proj.lora_B"));
        Assert.Equal("model.layers.0.self_attn.q_proj.lora_A", PeftAdapterFormat.LoraKey("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));
        Assert.Null(PeftAdapterFormat.LoraKey("base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector.weight"));
    }

    [Fact]
    public void Save_then_load_round_trips_tensors_and_config_with_PEFT_names()
    {
        using var model = ToyLlama.Small();
        var config = new LoraConfig { R = 4, Alpha = 16, Dropout = 0.05, Init = LoraInit.Kaiming, Targets = LoraTargets.Qkvgud };
        var adapters = LoraInjector.Inject(model, config, seed: 3);
        using (no_grad()) foreach (var t in adapters.Tensors.Values) t.add_(0.01);    // B ≠ 0, as after training
        var dir = TempDir();
        PeftAdapterFormat.Save(dir, adapters, "meta-llama/Llama-2-7b-hf");

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "adapter_config.json")))!.AsObject();
        Assert.Equal(4, json["r"]!.GetValue<int>());
        Assert.Equal(16, json["lora_alpha"]!.GetValue<int>());
        Assert.Equal(0.05, json["lora_dropout"]!.GetValue<double>());
        Assert.False(json["use_rslora"]!.GetValue<bool>());
        Assert.True(json["init_lora_weights"]!.GetValue<bool>());
        Assert.Equal("LORA", json["peft_type"]!.GetValue<string>());
        Assert.Equal("CAUSAL_LM", json["task_type"]!.GetValue<string>());
        Assert.Equal("none", json["bias"]!.GetValue<string>());
        Assert.Equal("meta-llama/Llama-2-7b-hf", json["base_model_name_or_path"]!.GetValue<string>());
        Assert.Equal(["down_proj", "gate_proj", "k_proj", "q_proj", "up_proj", "v_proj"], json["target_modules"]!.AsArray().Select(n => n!.GetValue<string>()));

        var raw = SafetensorsFile.ReadAll(Path.Combine(dir, "adapter_model.safetensors"));
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", raw.Keys);
        Assert.Contains("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight", raw.Keys);
        Assert.Equal(24, raw.Count);

        var loaded = PeftAdapterFormat.Load(dir);
        Assert.Equal(config, loaded.Config);
        Assert.Equal("meta-llama/Llama-2-7b-hf", loaded.BaseModelNameOrPath);
        Assert.All(adapters.Tensors, kv => Assert.True(Same(kv.Value, loaded.Tensors[kv.Key])));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void A_loaded_adapter_reproduces_the_saved_models_output()
    {
        using var trainedModel = ToyLlama.Small();
        using var freshModel = ToyLlama.Small();
        using var tokens = Tokens();
        var config = new LoraConfig { R = 4, Dropout = 0, Sigma = 0.2 };
        var trained = LoraInjector.Inject(trainedModel, config, seed: 3);
        var dir = TempDir();
        PeftAdapterFormat.Save(dir, trained, "toy");
        var loaded = PeftAdapterFormat.Load(dir);
        var fresh = LoraInjector.Inject(freshModel, loaded.Config with { Dropout = 0 }, seed: 77);
        fresh.Load(loaded.Tensors, dir);
        Assert.True(RelativeError(freshModel.forward(tokens), trainedModel.forward(tokens)) < 1e-6);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData(LoraInit.Pissa, 4, "pissa_niter_4")]
    [InlineData(LoraInit.Pissa, null, "pissa")]
    [InlineData(LoraInit.Olora, null, "olora")]
    public void Decomposition_inits_keep_PEFTs_init_name(LoraInit init, int? niter, string expected)
    {
        var config = new LoraConfig { Init = init, PissaNiter = niter, R = 2 };
        var json = PeftAdapterConfig.ToJson(config, ["q_proj"], "b");
        Assert.Equal(expected, JsonNode.Parse(json)!["init_lora_weights"]!.GetValue<string>());
        var (parsed, _, _) = PeftAdapterConfig.Parse(json, "adapter_config.json");
        Assert.Equal(init, parsed.Init);
        Assert.Equal(niter, parsed.PissaNiter);
    }

    [Theory]
    [InlineData("\"use_dora\": true", "use_dora")]
    [InlineData("\"peft_type\": \"IA3\"", "peft_type")]
    [InlineData("\"init_lora_weights\": \"loftq\"", "loftq")]
    [InlineData("\"rank_pattern\": {\"q_proj\": 4}", "rank_pattern")]
    public void Adapters_lorapar_cannot_reproduce_are_bad_input(string patch, string expected)
    {
        var json = PeftAdapterConfig.ToJson(new LoraConfig(), ["q_proj"], "b");
        var node = JsonNode.Parse(json)!.AsObject();
        var replacement = JsonNode.Parse("{" + patch + "}")!.AsObject().First();
        node[replacement.Key] = replacement.Value!.DeepClone();
        var e = Assert.Throws<BadInputException>(() => PeftAdapterConfig.Parse(node.ToJsonString(), "x/adapter_config.json"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("x/adapter_config.json", e.Message);
    }

    [Fact]
    public void Broken_json_reports_file_line_and_column() =>
        Assert.Matches(@"^a\.json:2:\d+: not valid JSON", Assert.Throws<BadInputException>(() => PeftAdapterConfig.Parse("{\n  \"r\": ,", "a.json")).Message);

    [Fact]
    public void Merge_then_unmerge_restores_the_base_weights()
    {
        using var model = ToyLlama.Small();
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 4, Sigma = 0.3 }, seed: 1);
        var before = adapters.Layers.ToDictionary(kv => kv.Key, kv => kv.Value.BaseLayer.weight.detach().clone());
        adapters.MergeAll();
        Assert.All(adapters.Layers, kv => Assert.True(RelativeError(kv.Value.BaseLayer.weight, before[kv.Key]) > 1e-4));
        adapters.UnmergeAll();
        Assert.All(adapters.Layers, kv => Assert.True(RelativeError(kv.Value.BaseLayer.weight, before[kv.Key]) < 1e-5));
    }
}

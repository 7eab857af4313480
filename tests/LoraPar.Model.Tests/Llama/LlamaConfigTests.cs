using LoraPar.Core;
using LoraPar.Model.Llama;
using TorchSharp;

namespace LoraPar.Model.Tests.Llama;

public sealed class LlamaConfigTests
{
    private const string Llama2 = """
        {"architectures": ["LlamaForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
         "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 11008, "max_position_embeddings": 4096,
         "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 32,
         "pretraining_tp": 1, "rms_norm_eps": 1e-05, "rope_scaling": null, "tie_word_embeddings": false,
         "torch_dtype": "float16", "transformers_version": "4.31.0.dev0", "use_cache": true, "vocab_size": 32000}
        """;

    private const string Llama31 = """
        {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 128000,
         "eos_token_id": [128001, 128008, 128009], "hidden_size": 4096, "intermediate_size": 14336,
         "max_position_embeddings": 131072, "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32,
         "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
         "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                          "original_max_position_embeddings": 8192, "rope_type": "llama3"},
         "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 128256}
        """;

    private const string Qwen25 = """
        {"architectures": ["Qwen2ForCausalLM"], "bos_token_id": 151643, "eos_token_id": 151643, "hidden_act": "silu",
         "hidden_size": 3584, "intermediate_size": 18944, "max_position_embeddings": 131072, "max_window_layers": 28,
         "model_type": "qwen2", "num_attention_heads": 28, "num_hidden_layers": 28, "num_key_value_heads": 4,
         "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 131072, "tie_word_embeddings": false,
         "torch_dtype": "bfloat16", "use_cache": true, "use_sliding_window": false, "vocab_size": 152064}
        """;

    [Fact]
    public void Llama2_7b_config_is_read_with_its_published_parameter_count()
    {
        var c = LlamaConfig.Parse(Llama2);
        Assert.Equal((ModelFamily.Llama, 4096, 11008, 32, 32, 32, 128), (c.Family, c.HiddenSize, c.IntermediateSize, c.NumHiddenLayers, c.NumAttentionHeads, c.NumKeyValueHeads, c.HeadDim));
        Assert.Equal(1e-5, c.RmsNormEps);
        Assert.Equal(10000.0, c.RopeTheta);
        Assert.Equal(torch.ScalarType.Float16, c.TorchDType);
        Assert.Equal([2], c.EosTokenIds);
        Assert.False(c.AttentionBias);
        Assert.Equal(6_738_415_616L, c.ParameterCount());
        Assert.True(c.Extra.ContainsKey("pretraining_tp"));
    }

    [Fact]
    public void Llama31_reads_grouped_heads_llama3_rope_scaling_and_several_eos_ids()
    {
        var c = LlamaConfig.Parse(Llama31);
        Assert.Equal(4, c.KvGroups);
        Assert.Equal(new RopeScaling(RopeScalingKind.Llama3, 8.0, 1.0, 4.0, 8192), c.RopeScaling);
        Assert.Equal([128001, 128008, 128009], c.EosTokenIds);
        Assert.Equal(8_030_261_248L, c.ParameterCount());
    }

    [Fact]
    public void Qwen2_has_bias_on_qkv_but_not_on_o()
    {
        var c = LlamaConfig.Parse(Qwen25);
        Assert.Equal(ModelFamily.Qwen2, c.Family);
        Assert.True(c.AttentionBias);
        Assert.False(c.OutputProjectionBias);
        Assert.Equal(7_615_616_512L, c.ParameterCount());
    }

    [Theory]
    [InlineData(Llama2)]
    [InlineData(Llama31)]
    [InlineData(Qwen25)]
    public void Writing_and_reading_back_gives_the_same_config_and_keeps_unknown_keys(string json)
    {
        var c = LlamaConfig.Parse(json);
        var back = LlamaConfig.Parse(c.ToJson());
        Assert.Equal(c.ToJson(), back.ToJson());
        Assert.Equal(c with { Extra = back.Extra, EosTokenIds = back.EosTokenIds }, back);
        Assert.Equal(c.EosTokenIds, back.EosTokenIds);
        Assert.Equal(c.Extra.Keys.Order(), back.Extra.Keys.Order());
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_key()
    {
        const string bad = """
            {"model_type": "llama", "hidden_size": 100, "num_attention_heads": 3, "num_key_value_heads": 2,
             "torch_dtype": "int8", "hidden_act": "gelu", "vocab_size": "many"}
            """;
        var e = Assert.Throws<BadInputException>(() => LlamaConfig.Parse(bad, "m/config.json"));
        Assert.StartsWith("m/config.json: invalid model config", e.Message);
        foreach (var key in new[] { "hidden_size: 100 is not divisible", "num_key_value_heads: 2 does not divide", "torch_dtype: \"int8\"", "hidden_act:", "vocab_size: expected an integer" })
            Assert.Contains(key, e.Message);
    }

    [Fact]
    public void An_unsupported_architecture_is_named()
    {
        var e = Assert.Throws<BadInputException>(() => LlamaConfig.Parse("""{"model_type": "gpt2"}"""));
        Assert.Contains("model_type: \"gpt2\" is not supported", e.Message);
    }
}

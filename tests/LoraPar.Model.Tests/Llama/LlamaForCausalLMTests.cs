using LoraPar.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Tests.Llama;

public sealed class LlamaForCausalLMTests : TorchTest
{
    private static readonly LlamaConfig Config = TinyModelFactory.Config(vocabSize: 50, hidden: 32, heads: 4, kvHeads: 2);

    private static Tensor Ids(params long[] ids) => torch.tensor(ids).view(1, ids.Length);

    [Fact]
    public void Changing_later_tokens_never_changes_earlier_logits()
    {
        using var model = TinyModelFactory.Create(Config, seed: 1);
        using var scope = torch.NewDisposeScope();
        var a = model.call(Ids(3, 9, 4, 7, 11, 2));
        var b = model.call(Ids(3, 9, 4, 40, 1, 30));
        Assert.True(a.narrow(1, 0, 3).allclose(b.narrow(1, 0, 3), rtol: 0, atol: 1e-6));
        Assert.False(a.narrow(1, 3, 1).allclose(b.narrow(1, 3, 1), rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Decoding_with_the_kv_cache_gives_the_logits_of_full_recomputation()
    {
        using var model = TinyModelFactory.Create(Config, seed: 2);
        using var scope = torch.NewDisposeScope();
        long[] tokens = [5, 17, 3, 44, 21, 8, 13, 2];
        var full = model.call(Ids(tokens));                                                // (1, 8, V)
        using var cache = model.NewCache(1, tokens.Length);
        var prefill = model.Forward(new CausalLMInput(Ids(tokens[..3])) { Cache = cache });  // (1, 3, V)
        Assert.True(prefill.allclose(full.narrow(1, 0, 3), rtol: 0, atol: 1e-4));
        for (var t = 3; t < tokens.Length; t++)
        {
            var step = model.Forward(new CausalLMInput(Ids(tokens[t])) { Cache = cache });  // (1, 1, V)
            Assert.True(step.allclose(full.narrow(1, t, 1), rtol: 0, atol: 1e-4), $"position {t}");
        }
        Assert.Equal(tokens.Length, cache.Length);
    }

    [Fact]
    public void Grouped_query_attention_equals_multi_head_attention_with_replicated_kv_heads()
    {
        using var gqa = TinyModelFactory.Create(Config, seed: 3);
        using var mha = new LlamaForCausalLM(Config with { NumKeyValueHeads = Config.NumAttentionHeads });
        var source = gqa.state_dict();
        using (torch.no_grad())
            foreach (var (name, target) in mha.state_dict())
                target.copy_(name.Contains("k_proj") || name.Contains("v_proj") ? Replicate(source[name]) : source[name]);
        using var scope = torch.NewDisposeScope();
        var ids = Ids(1, 7, 22, 9, 30, 4);
        Assert.True(gqa.call(ids).allclose(mha.call(ids), rtol: 0, atol: 1e-5));
    }

    /// <summary>(H_kv·D, d) → (H·D, d): each key/value head's rows repeated for the G query heads that share it.</summary>
    private static Tensor Replicate(Tensor weight)
    {
        long d = Config.HeadDim, groups = Config.KvGroups;
        return weight.reshape(Config.NumKeyValueHeads, d, -1).repeat_interleave(groups, 0).reshape(-1, weight.shape[1]);  // (H·D, d)
    }

    [Fact]
    public void Projection_weights_have_the_hf_shape_and_are_stored_transposed_for_fast_decoding()
    {
        using var model = new LlamaForCausalLM(Config);
        var q = model.model.layers[0].self_attn.q_proj.parameters().First();
        Assert.Equal(new long[] { Config.NumAttentionHeads * Config.HeadDim, Config.HiddenSize }, q.shape);
        Assert.Equal(new long[] { 1, Config.NumAttentionHeads * Config.HeadDim }, q.stride());
        Assert.True(model.model.embed_tokens.weight.is_contiguous());
    }

    [Fact]
    public void Same_seed_gives_the_same_weights_and_norms_start_at_one()
    {
        using var a = TinyModelFactory.Create(Config, seed: 14);
        using var b = TinyModelFactory.Create(Config, seed: 14);
        using var c = TinyModelFactory.Create(Config, seed: 15);
        var (sa, sb, sc) = (a.state_dict(), b.state_dict(), c.state_dict());
        Assert.All(sa, kv => Assert.True(kv.Value.equal(sb[kv.Key]).all().item<bool>(), kv.Key));
        Assert.False(sa["model.layers.0.mlp.up_proj.weight"].equal(sc["model.layers.0.mlp.up_proj.weight"]).all().item<bool>());
        Assert.True(sa["model.norm.weight"].eq(1).all().item<bool>());
        var std = sa["model.layers.1.self_attn.o_proj.weight"].std().item<float>();
        Assert.InRange(std, 0.018f, 0.022f);
    }

    [Fact]
    public void Tied_embeddings_share_one_parameter_and_leave_lm_head_out_of_the_checkpoint()
    {
        using var model = TinyModelFactory.Create(Config with { TieWordEmbeddings = true }, seed: 4);
        Assert.DoesNotContain(model.named_parameters(), p => p.name == "lm_head.weight");
        Assert.DoesNotContain("lm_head.weight", model.CheckpointTensors().Keys);
        Assert.Equal((Config with { TieWordEmbeddings = true }).ParameterCount(), model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Parameter_names_are_the_hf_keys_and_counts_match_the_config()
    {
        using var model = new LlamaForCausalLM(Config with { AttentionBias = true, Family = ModelFamily.Qwen2 });
        var names = model.CheckpointTensors().Keys.ToHashSet();
        foreach (var key in new[] { "model.embed_tokens.weight", "model.layers.1.self_attn.q_proj.weight", "model.layers.1.self_attn.q_proj.bias",
                     "model.layers.0.mlp.down_proj.weight", "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight",
                     "model.norm.weight", "lm_head.weight" })
            Assert.Contains(key, names);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", names);
        Assert.Equal(model.Config.ParameterCount(), model.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float16)]
    public void Half_precision_models_track_the_float32_model(ScalarType dtype)
    {
        using var fp32 = TinyModelFactory.Create(Config, seed: 6);
        using var half = TinyModelFactory.Create(Config, seed: 6, dtype: dtype);
        using var scope = torch.NewDisposeScope();
        var ids = Ids(1, 2, 3, 4, 5);
        var a = fp32.call(ids);
        var b = half.call(ids).to(ScalarType.Float32);
        Assert.Equal(dtype, half.DType);
        Assert.True((a - b).abs().max().item<float>() < 0.05f * a.abs().max().item<float>() + 0.02f);
    }
}

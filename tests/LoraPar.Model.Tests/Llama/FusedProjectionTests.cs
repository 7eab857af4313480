using LoraPar.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Tests.Llama;

public sealed class FusedProjectionTests : TorchTest
{
    private static readonly LlamaConfig Config = TinyModelFactory.Config(vocabSize: 50, hidden: 32, heads: 4, kvHeads: 2);

    private static Tensor Ids(params long[] ids) => torch.tensor(ids).view(1, ids.Length);

    private static nn.Module<Tensor, Tensor>[] Projections(bool bias)
    {
        using var generator = new torch.Generator(3, CPU);
        using var noGrad = torch.no_grad();
        return new long[] { 4, 2, 3 }.Select(size =>
        {
            var linear = ParameterFactory.Linear(16, size, bias, ScalarType.Float32, CPU);
            foreach (var p in linear.parameters()) p.copy_(torch.randn(p.shape, generator: generator));
            return (nn.Module<Tensor, Tensor>)linear;
        }).ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_matmul_over_the_fused_copy_equals_each_projection_on_its_own(bool bias)
    {
        var projections = Projections(bias);
        using var fused = FusedProjection.Create(projections)!;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.randn(1, 1, 16);                                                            // (B, T, in): one row
        var parts = fused.TryProject(x, projections);
        Assert.NotNull(parts);
        Assert.Null(fused.TryProject(torch.randn(2, 3, 16), projections));                      // several rows: the projections themselves
        for (var i = 0; i < projections.Length; i++)
            Assert.True(parts[i].allclose(projections[i].call(x), rtol: 0, atol: 1e-5), $"projection {i}");
    }

    [Fact]
    public void Only_plain_float32_cpu_linear_projections_alike_in_bias_are_fused()
    {
        var plain = Projections(bias: false);
        var biased = Projections(bias: true);
        Assert.Null(FusedProjection.Create([plain[0], nn.Identity()]));
        Assert.Null(FusedProjection.Create([plain[0], biased[1]]));
        Assert.Null(FusedProjection.Create([]));
        Assert.Null(FusedProjection.Create([ParameterFactory.Linear(16, 8, false, ScalarType.BFloat16, CPU)]));
        Assert.Null(FusedProjection.Create([ParameterFactory.Linear(12, 8, false, ScalarType.Float32, CPU)]));   // inputs not a multiple of 8
    }

    [Fact]
    public void The_copy_stands_in_only_for_its_own_projections_and_only_when_no_weight_gradient_is_wanted()
    {
        var projections = Projections(bias: true);
        using var fused = FusedProjection.Create(projections)!;
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(1, 16);
        Assert.Null(fused.TryProject(x, projections));                                           // grad mode on, weights require grad
        using (torch.no_grad())
        {
            Assert.NotNull(fused.TryProject(x, projections));
            Assert.Null(fused.TryProject(x, projections[0], nn.Identity(), projections[2]));     // one swapped (e.g. an adapter)
            Assert.Null(fused.TryProject(x, projections[0], projections[1]));                   // not all of them
        }
        foreach (var p in projections.SelectMany(m => m.parameters())) p.requires_grad = false;  // frozen: no weight gradient wanted
        Assert.NotNull(fused.TryProject(x, projections));
    }

    [Fact]
    public void Inside_a_fusion_session_the_model_gives_the_logits_of_its_unfused_projections()
    {
        using var model = TinyModelFactory.Create(Config with { AttentionBias = true, Family = ModelFamily.Qwen2 }, seed: 8);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var ids = Ids(9);                                                                      // one row: the fused path
        var plain = model.call(ids);
        using (model.FuseProjections())
            Assert.True(model.call(ids).allclose(plain, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void A_session_fuses_only_plain_projections_and_a_nested_session_leaves_the_outer_copies_alone()
    {
        using var model = TinyModelFactory.Create(Config, seed: 9);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var ids = Ids(6);
        var plain = model.call(ids);
        var attention = model.model.layers[0].self_attn;
        attention.k_proj = new ScaledProjection(attention.k_proj, 1.0);
        using (model.FuseProjections())
        {
            using (model.FuseProjections())
                Assert.True(model.call(ids).allclose(plain, rtol: 0, atol: 1e-5));
            Assert.True(model.call(ids).allclose(plain, rtol: 0, atol: 1e-5));                   // the outer copies survive the inner dispose
            model.model.layers[1].mlp.up_proj = new ScaledProjection(model.model.layers[1].mlp.up_proj, 2.0);
            Assert.False(model.call(ids).allclose(plain, rtol: 0, atol: 1e-4));                  // a swap inside the session is honoured
        }
    }

    [Fact]
    public void A_session_computes_from_its_snapshot_so_weights_must_not_change_while_it_is_open()
    {
        using var model = TinyModelFactory.Create(Config, seed: 11);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var ids = Ids(12);
        var before = model.call(ids);
        using (model.FuseProjections())
        {
            foreach (var layer in model.model.layers) ((nn.Module)layer.mlp.gate_proj).parameters().First().zero_();
            Assert.True(model.call(ids).allclose(before, rtol: 0, atol: 1e-5));                  // the fused copy, not the live weights
        }
        Assert.False(model.call(ids).allclose(before, rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void Cached_batch_one_decoding_in_a_session_gives_the_logits_of_full_recomputation()
    {
        using var model = TinyModelFactory.Create(Config, seed: 13);
        using var scope = torch.NewDisposeScope();
        using var inference = torch.inference_mode();
        long[] tokens = [5, 17, 3, 44, 21, 8, 13, 2];
        var full = model.call(Ids(tokens));                                                  // (1, 8, V), outside any session
        using var fusion = model.FuseProjections();
        using var cache = model.NewCache(1, tokens.Length);
        model.Forward(new CausalLMInput(Ids(tokens[..3])) { Cache = cache });
        for (var t = 3; t < tokens.Length; t++)
        {
            var step = model.Forward(new CausalLMInput(Ids(tokens[t])) { Cache = cache });    // (1, 1, V): one row, CpuMatvec
            Assert.True(step.allclose(full.narrow(1, t, 1), rtol: 0, atol: 1e-4), $"position {t}");
        }
    }

    [Fact]
    public void Single_prompt_fused_generation_equals_generation_through_unfused_projections_and_head()
    {
        using var model = TinyModelFactory.Create(Config, seed: 14);
        var generator = new LoraPar.Model.Generation.Generator(model, new Generation.TestTokenizer(Config.VocabSize, [-1]));
        var options = new LoraPar.Model.Generation.GenerationOptions { MaxNewTokens = LoraPar.Model.Generation.Generator.FusionMinimumTokens + 4 };
        var fused = generator.Generate(["HELLO"], options)[0];
        foreach (var layer in model.model.layers)
        {
            var (attention, mlp) = (layer.self_attn, layer.mlp);
            (attention.q_proj, attention.k_proj) = (new ScaledProjection(attention.q_proj, 1.0), new ScaledProjection(attention.k_proj, 1.0));
            (attention.v_proj, attention.o_proj) = (new ScaledProjection(attention.v_proj, 1.0), new ScaledProjection(attention.o_proj, 1.0));
            (mlp.gate_proj, mlp.up_proj) = (new ScaledProjection(mlp.gate_proj, 1.0), new ScaledProjection(mlp.up_proj, 1.0));
            mlp.down_proj = new ScaledProjection(mlp.down_proj, 1.0);
        }
        model.lm_head = new ScaledProjection(model.lm_head, 1.0);
        var plain = generator.Generate(["HELLO"], options)[0];
        Assert.Equal(plain.TokenIds, fused.TokenIds);
        Assert.Equal(plain.TokenLogProbs, fused.TokenLogProbs, new Generation.FloatTolerance(1e-4f));
    }

    [Fact]
    public void Batched_left_padded_greedy_decoding_equals_single_prompts_decoded_in_fusion_sessions()
    {
        using var model = TinyModelFactory.Create(Config, seed: 15);
        var generator = new LoraPar.Model.Generation.Generator(model, new Generation.TestTokenizer(Config.VocabSize, [-1]));
        var options = new LoraPar.Model.Generation.GenerationOptions { MaxNewTokens = LoraPar.Model.Generation.Generator.FusionMinimumTokens + 4 };
        string[] prompts = ["HELLO", "AB", "GENERATION IS FUN"];
        var batched = generator.Generate(prompts, options);                                       // batch 3: tensor route
        for (var i = 0; i < prompts.Length; i++)
        {
            var single = generator.Generate([prompts[i]], options)[0];                            // batch 1: packed weights, C# attention
            Assert.Equal(batched[i].TokenIds, single.TokenIds);
            Assert.Equal(batched[i].TokenLogProbs, single.TokenLogProbs, new Generation.FloatTolerance(1e-4f));
        }
    }

    [Fact]
    public void With_gradients_training_runs_through_the_projections_own_parameters()
    {
        using var model = TinyModelFactory.Create(Config, seed: 10);
        using var scope = torch.NewDisposeScope();
        using var fusion = model.FuseProjections();
        model.call(Ids(1, 2, 3, 4)).square().mean().backward();
        foreach (var name in new[] { "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "mlp.gate_proj", "mlp.up_proj" })
        {
            var weight = model.named_parameters().Single(p => p.name == $"model.layers.1.{name}.weight").parameter;
            Assert.True(weight.grad is { } g && g.abs().sum().item<float>() > 0, name);
        }
    }
}

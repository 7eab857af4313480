using LoraPar.Model.Generation;
using LoraPar.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Tests.Llama;

public sealed class FusedProjectionTests : TorchTest
{
    private static readonly LlamaConfig Config = TinyModelFactory.Config(vocabSize: 50, hidden: 32, heads: 4, kvHeads: 2);

    private static Tensor Ids(params long[] ids) => torch.tensor(ids).view(1, ids.Length);

    private static FusedProjection Filled(bool bias)
    {
        var fused = new FusedProjection(6, [4, 2, 3], bias, ScalarType.Float32, CPU);
        using var generator = new torch.Generator(3, CPU);
        using var noGrad = torch.no_grad();
        foreach (var layer in fused.Layers)
            foreach (var p in layer.parameters())
                p.copy_(torch.randn(p.shape, generator: generator));
        return fused;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_matmul_over_the_block_equals_each_projection_on_its_own(bool bias)
    {
        using var fused = Filled(bias);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.randn(2, 3, 6);                                                             // (B, T, in)
        var parts = fused.TryProject(x, [.. fused.Layers]);
        Assert.NotNull(parts);
        for (var i = 0; i < fused.Layers.Count; i++)
            Assert.True(parts[i].allclose(fused.Layers[i].call(x), rtol: 0, atol: 1e-5), $"projection {i}");
    }

    [Fact]
    public void The_projection_weights_are_views_of_the_block_so_in_place_writes_reach_the_fused_matmul()
    {
        using var fused = Filled(bias: false);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        fused.Layers[1].weight!.fill_(0.5);                                                       // e.g. a checkpoint load or an optimizer step
        var x = torch.ones(1, 6);
        var parts = fused.TryProject(x, [.. fused.Layers])!;
        Assert.True(parts[1].allclose(torch.full([1, 2], 3.0f), rtol: 0, atol: 1e-6));
        Assert.True(parts[0].allclose(fused.Layers[0].call(x), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void The_block_stands_in_only_while_the_plain_projections_serve_and_no_gradient_is_wanted()
    {
        using var fused = Filled(bias: true);
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(1, 6);
        Assert.Null(fused.TryProject(x, [.. fused.Layers]));                                      // grad mode on, weights require grad
        using (torch.no_grad())
        {
            Assert.NotNull(fused.TryProject(x, [.. fused.Layers]));
            Assert.Null(fused.TryProject(x, fused.Layers[0], nn.Identity(), fused.Layers[2]));   // one projection swapped (an adapter)
            Assert.Null(fused.TryProject(x, fused.Layers[0], fused.Layers[1]));                  // not all of them
        }
        foreach (var p in fused.Layers.SelectMany(l => l.parameters())) p.requires_grad = false;                         // frozen base: no weight gradient wanted
        Assert.NotNull(fused.TryProject(x, [.. fused.Layers]));
    }

    [Fact]
    public void A_dtype_move_replaces_the_weights_and_the_projections_then_run_on_their_own()
    {
        using var fused = Filled(bias: false);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        fused.Layers[0].to(ScalarType.Float64);
        Assert.Null(fused.TryProject(torch.randn(1, 6), [.. fused.Layers]));
    }

    [Fact]
    public void Without_gradients_the_model_gives_the_logits_of_its_unfused_projections()
    {
        using var model = TinyModelFactory.Create(Config with { AttentionBias = true, Family = ModelFamily.Qwen2 }, seed: 8);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var ids = Ids(3, 9, 4, 7, 11, 2);
        var fused = model.call(ids);
        foreach (var site in model.Projections().ToList()) model.ReplaceProjection(site.Path, new PassThrough(site.Module));
        Assert.True(fused.allclose(model.call(ids), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Fused_greedy_generation_equals_generation_through_the_unfused_projections()
    {
        using var model = TinyModelFactory.Create(Config, seed: 9);
        var generator = new LoraPar.Model.Generation.Generator(model, new Generation.TestTokenizer(Config.VocabSize, [-1]));
        var options = new GenerationOptions { MaxNewTokens = 10 };
        string[] prompts = ["HELLO", "AB", "Q"];
        var fused = generator.Generate(prompts, options);
        foreach (var site in model.Projections().ToList()) model.ReplaceProjection(site.Path, new PassThrough(site.Module));
        var plain = generator.Generate(prompts, options);
        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(plain[i].TokenIds, fused[i].TokenIds);
            Assert.Equal(plain[i].TokenLogProbs, fused[i].TokenLogProbs, new Generation.FloatTolerance(1e-4f));
        }
    }

    [Fact]
    public void Training_still_gives_every_fused_projection_its_own_gradient()
    {
        using var model = TinyModelFactory.Create(Config, seed: 10);
        using var scope = torch.NewDisposeScope();
        model.call(Ids(1, 2, 3, 4)).square().mean().backward();
        foreach (var name in new[] { "q_proj", "k_proj", "v_proj" })
            Assert.True(model.named_parameters().Single(p => p.name == $"model.layers.1.self_attn.{name}.weight").parameter.grad is { } g && g.abs().sum().item<float>() > 0, name);
        foreach (var name in new[] { "gate_proj", "up_proj" })
            Assert.True(model.named_parameters().Single(p => p.name == $"model.layers.0.mlp.{name}.weight").parameter.grad is { } g && g.abs().sum().item<float>() > 0, name);
    }

    /// <summary>Calls the wrapped projection unchanged; its presence turns the fused path off.</summary>
    private sealed class PassThrough : nn.Module<Tensor, Tensor>
    {
        public readonly nn.Module<Tensor, Tensor> inner;

        public PassThrough(nn.Module<Tensor, Tensor> inner) : base("pass")
        {
            this.inner = inner;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => inner.call(x);
    }
}

using LoraPar.Adapters.Inits;
using LoraPar.Core;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests.Inits;

public sealed class LoraInitializerTests : TorchTest
{
    public static TheoryData<LoraInit, int?> Variants => new()
    {
        { LoraInit.Kaiming, null }, { LoraInit.GaussianBoth, null }, { LoraInit.Pissa, null }, { LoraInit.Pissa, 4 }, { LoraInit.Olora, null },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_init_reproduces_the_base_model_output_at_step_zero(LoraInit init, int? niter)
    {
        using var model = ToyLlama.Small(bias: true);
        using var tokens = Tokens();
        using var before = model.forward(tokens);
        var config = new LoraConfig { R = 4, Alpha = 16, Init = init, PissaNiter = niter, Targets = LoraTargets.AllLinear, Dropout = 0 };
        var adapters = LoraInjector.Inject(model, config, seed: 9);
        using var after = model.forward(tokens);
        // gaussian-both perturbs on purpose (B ≠ 0); its output only stays close, the others reproduce the base
        var tolerance = init == LoraInit.GaussianBoth ? 5e-2 : 1e-5;
        Assert.True(RelativeError(after, before) < tolerance, $"{init}: relative error {RelativeError(after, before)}");
        Assert.Equal(init is LoraInit.Pissa or LoraInit.Olora, adapters.InitialTensors.Count == 2 * adapters.Layers.Count);
    }

    [Fact]
    public void Pissa_and_olora_residual_plus_adapter_equals_the_weight_within_1e_5()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var w = randn(24, 40);
        using var g = new Generator(1, CPU);
        foreach (var init in new[] { LoraInit.Pissa, LoraInit.Olora })
        {
            var config = new LoraConfig { R = 6, Alpha = 12, Init = init };
            var f = LoraInitializer.Create(w, config, g, "w");
            Assert.Equal([6L, 40L], f.A.shape);
            Assert.Equal([24L, 6L], f.B.shape);
            var rebuilt = f.Residual! + config.Scaling * f.B.matmul(f.A);      // (24, 6) @ (6, 40)
            Assert.True(RelativeError(rebuilt, w) < 1e-5, $"{init}");
        }
    }

    [Fact]
    public void Pissa_factors_follow_PEFTs_definition()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var w = randn(10, 8);
        using var g = new Generator(1, CPU);
        var config = new LoraConfig { R = 3, Alpha = 6, Init = LoraInit.Pissa };     // scale 2
        var f = LoraInitializer.Create(w, config, g, "w");
        var (u, s, vh) = linalg.svd(w, fullMatrices: false);
        var sqrtSr = (s[..3] / 2).sqrt();
        Assert.True(RelativeError(f.A.abs(), (sqrtSr.unsqueeze(1) * vh[..3]).abs()) < 1e-5);
        Assert.True(RelativeError(f.B.abs(), (u[.., ..3] * sqrtSr).abs()) < 1e-5);
        // B·A is sign-free: it equals U_r·diag(S_r / scale)·Vh_r
        var expected = (u[.., ..3] * (s[..3] / 2)).matmul(vh[..3]);                 // (10, 3) @ (3, 8)
        Assert.True(RelativeError(f.B.matmul(f.A), expected) < 1e-5);
    }

    [Fact]
    public void Olora_factors_are_Q_and_R_slices()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var w = randn(12, 9);
        using var g = new Generator(1, CPU);
        var f = LoraInitializer.Create(w, new LoraConfig { R = 2, Alpha = 2, Init = LoraInit.Olora }, g, "w");
        var (q, r) = linalg.qr(w);
        Assert.True(RelativeError(f.B, q[.., ..2]) < 1e-6);
        Assert.True(RelativeError(f.A, r[..2]) < 1e-6);
    }

    [Fact]
    public void Lora_init_has_zero_B_and_A_within_the_kaiming_bound()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(1, CPU);
        var f = LoraInitializer.Create(zeros(20, 64), new LoraConfig { R = 4, Init = LoraInit.Kaiming }, g, "w");
        Assert.Equal(0, f.B.abs().sum().item<float>());
        Assert.True(f.A.abs().max().item<float>() <= 0.125f);
        Assert.Null(f.Residual);
    }

    [Fact]
    public void Gaussian_both_draws_both_factors_with_sigma()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(1, CPU);
        var f = LoraInitializer.Create(zeros(200, 300), new LoraConfig { R = 8, Init = LoraInit.GaussianBoth, Sigma = 0.01 }, g, "w");
        Assert.InRange(f.A.std().item<float>(), 0.0095f, 0.0105f);
        Assert.InRange(f.B.std().item<float>(), 0.0095f, 0.0105f);
    }

    [Fact]
    public void Half_precision_weights_get_float32_factors()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(1, CPU);
        var f = LoraInitializer.Create(randn(16, 16).to_type(ScalarType.BFloat16), new LoraConfig { R = 2, Init = LoraInit.Olora }, g, "w");
        Assert.Equal(ScalarType.Float32, f.A.dtype);
        Assert.Equal(ScalarType.BFloat16, f.Residual!.dtype);
    }

    [Fact]
    public void Rank_above_the_weight_rank_is_refused_for_decompositions() =>
        Assert.Contains("r = 9 exceeds min(out, in) = 8", Assert.Throws<BadInputException>(() =>
            LoraInitializer.Create(zeros(8, 20), new LoraConfig { R = 9, Init = LoraInit.Pissa }, new Generator(1, CPU), "layer.q_proj")).Message);
}

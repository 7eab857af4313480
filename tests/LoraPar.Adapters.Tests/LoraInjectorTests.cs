using LoraPar.Adapters.Masks;
using LoraPar.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests;

public sealed class LoraInjectorTests : TorchTest
{
    [Fact]
    public void Qkvgud_wraps_six_projections_per_layer_and_keys_tensors_by_module_path()
    {
        using var model = ToyLlama.Small();
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 4, Targets = LoraTargets.Qkvgud }, seed: 1);
        Assert.Equal(12, adapters.Layers.Count);
        Assert.IsType<LoraLinear>(ModuleSurgery.Get(model, "model.layers.1.mlp.gate_proj"));
        Assert.IsType<Linear>(ModuleSurgery.Get(model, "model.layers.1.self_attn.o_proj"));
        Assert.Equal([4L, 32L], adapters.Tensors["model.layers.0.self_attn.q_proj.lora_A"].shape);
        Assert.Equal([16L, 4L], adapters.Tensors["model.layers.0.self_attn.v_proj.lora_B"].shape);
        Assert.Equal([4L, 48L], adapters.Tensors["model.layers.0.mlp.down_proj.lora_A"].shape);
        Assert.Equal(["down_proj", "gate_proj", "k_proj", "q_proj", "up_proj", "v_proj"], adapters.TargetModules);
    }

    [Fact]
    public void Only_LoRA_tensors_remain_trainable_and_they_appear_in_the_model_parameters()
    {
        using var model = ToyLlama.Small();
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 2, Targets = LoraTargets.Qkv }, seed: 1);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).Order().ToList();
        Assert.Equal(adapters.Tensors.Keys.Order(), trainable);
        Assert.Contains(model.named_parameters(), p => p.name == "model.layers.0.self_attn.q_proj.base_layer.weight" && !p.parameter.requires_grad);
    }

    [Fact]
    public void Disabled_adapters_give_the_base_model_and_the_scope_restores_them()
    {
        using var model = ToyLlama.Small();
        using var tokens = Tokens();
        using var baseOut = model.forward(tokens);
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 4, Dropout = 0, Sigma = 0.3 }, seed: 1);
        using var adapted = model.forward(tokens);
        Assert.True(RelativeError(adapted, baseOut) > 1e-4);
        using (adapters.Disabled())
        {
            using var off = model.forward(tokens);
            Assert.Equal(0, RelativeError(off, baseOut));
        }
        using var on = model.forward(tokens);
        Assert.Equal(0, RelativeError(on, adapted));
    }

    [Fact]
    public void Adapters_and_optimizer_state_made_inside_a_dispose_scope_outlive_it()
    {
        using var model = ToyLlama.Small();
        LoraAdapterSet adapters;
        MaskedAdamW optimizer;
        LoraMaskSet masks;
        using (NewDisposeScope())
        {
            adapters = LoraInjector.Inject(model, new LoraConfig { R = 2, Init = LoraInit.Olora }, seed: 1);
            masks = LoraMaskSet.Random(adapters.Tensors, 0.5, 1);
            optimizer = new MaskedAdamW(adapters.Tensors, masks, new AdamWOptions());
        }
        using var tokens = Tokens();
        using var loss = model.forward(tokens).square().mean();
        loss.backward();
        optimizer.Step();
        Assert.All(adapters.InitialTensors.Values, t => Assert.Equal(2, t.shape.Min()));
        Assert.Equal(masks.TotalActive * 8, optimizer.StateBytes);
        optimizer.Dispose();
        masks.Dispose();
    }

    [Fact]
    public void Same_seed_gives_the_same_factors()
    {
        using var m1 = ToyLlama.Small();
        using var m2 = ToyLlama.Small();
        var a1 = LoraInjector.Inject(m1, new LoraConfig { Init = LoraInit.Kaiming }, seed: 42);
        var a2 = LoraInjector.Inject(m2, new LoraConfig { Init = LoraInit.Kaiming }, seed: 42);
        Assert.All(a1.Tensors, kv => Assert.True(Same(kv.Value, a2.Tensors[kv.Key])));
    }

    [Fact]
    public void Unmatched_targets_name_the_linear_modules_found()
    {
        using var model = ToyLlama.Small();
        var e = Assert.Throws<BadInputException>(() => LoraInjector.Inject(model, new LoraConfig { Targets = LoraTargets.Explicit("query") }, 1));
        Assert.Contains("q_proj", e.Message);
    }

    [Fact]
    public void A_rank_too_large_for_one_layer_is_refused_before_the_model_changes()
    {
        using var model = ToyLlama.Small();
        using var tokens = Tokens();
        using var before = model.forward(tokens);
        var e = Assert.Throws<BadInputException>(() => LoraInjector.Inject(model, new LoraConfig { R = 20, Init = LoraInit.Pissa }, 1));
        Assert.Contains("v_proj: r = 20 exceeds min(out, in) = 16", e.Message);
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
        Assert.Equal(0, RelativeError(model.forward(tokens), before));
    }

    [Fact]
    public void Injecting_twice_is_refused()
    {
        using var model = ToyLlama.Small();
        LoraInjector.Inject(model, new LoraConfig { Targets = LoraTargets.Qkv }, 1);
        Assert.Throws<InvalidOperationException>(() => LoraInjector.Inject(model, new LoraConfig { Targets = LoraTargets.Qkv }, 1));
    }

    [Fact]
    public void Given_initial_factors_rebuild_the_same_pissa_residual_and_output()
    {
        using var m1 = ToyLlama.Small();
        using var m2 = ToyLlama.Small();
        using var tokens = Tokens();
        var config = new LoraConfig { R = 4, Init = LoraInit.Pissa, PissaNiter = 2, Dropout = 0 };
        var first = LoraInjector.Inject(m1, config, seed: 5);
        var again = LoraInjector.Inject(m2, config, seed: 999, initialFactors: first.InitialTensors);
        Assert.True(RelativeError(m2.forward(tokens), m1.forward(tokens)) < 1e-6);
        var w1 = first.Layers["model.layers.0.mlp.up_proj"].BaseLayer.weight;
        var w2 = again.Layers["model.layers.0.mlp.up_proj"].BaseLayer.weight;
        Assert.True(RelativeError(w2, w1) < 1e-6);
    }
}

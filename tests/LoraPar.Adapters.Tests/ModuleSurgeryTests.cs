using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests;

public sealed class ModuleSurgeryTests : TorchTest
{
    [Fact]
    public void Get_walks_dotted_paths_through_module_lists()
    {
        using var model = ToyLlama.Small();
        var q = ModuleSurgery.Get(model, "model.layers.1.self_attn.q_proj");
        Assert.IsType<Linear>(q);
        Assert.Equal(32, ((Linear)q).in_features);
    }

    [Fact]
    public void Get_names_the_missing_segment()
    {
        using var model = ToyLlama.Small();
        var e = Assert.Throws<ArgumentException>(() => ModuleSurgery.Get(model, "model.layers.0.self_attn.x_proj"));
        Assert.Contains("'model.layers.0.self_attn' has no submodule named 'x_proj'", e.Message);
    }

    [Fact]
    public void Replace_sets_the_field_and_the_registry_so_forward_and_state_dict_both_see_the_new_module()
    {
        using var model = ToyLlama.Small();
        using var tokens = Tokens();
        using var before = model.forward(tokens);
        var replacement = nn.Linear(48, 32, hasBias: false);
        using (no_grad()) replacement.weight.zero_();
        var old = ModuleSurgery.Replace(model, "model.layers.0.mlp.down_proj", replacement);

        Assert.Same(replacement, ModuleSurgery.Get(model, "model.layers.0.mlp.down_proj"));
        Assert.Contains(model.state_dict(), kv => kv.Key == "model.layers.0.mlp.down_proj.weight" && ReferenceEquals(kv.Value, replacement.weight));
        using var after = model.forward(tokens);
        Assert.True(RelativeError(after, before) > 1e-3, "forward must use the replacement (a zero down_proj changes the output)");

        ModuleSurgery.Replace(model, "model.layers.0.mlp.down_proj", old);
        using var restored = model.forward(tokens);
        Assert.Equal(0, RelativeError(restored, before));
    }

    [Fact]
    public void Replace_finds_fields_renamed_with_ComponentName()
    {
        using var lora = new LoraLinear(nn.Linear(4, 3), zeros(2, 4), zeros(3, 2), 1, 0);
        var replacement = nn.Linear(4, 3);
        ModuleSurgery.Replace(lora, "base_layer", replacement);
        Assert.Same(replacement, lora.BaseLayer);
        Assert.Same(replacement, ModuleSurgery.Get(lora, "base_layer"));
    }

    [Fact]
    public void Replace_refuses_a_parent_without_a_matching_field()
    {
        using var model = ToyLlama.Small();
        var e = Assert.Throws<InvalidOperationException>(() => ModuleSurgery.Replace(model, "model.norm", nn.Linear(2, 2)));
        Assert.Contains("has no field named 'norm'", e.Message);
    }
}

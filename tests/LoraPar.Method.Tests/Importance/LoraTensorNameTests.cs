using LoraPar.Core;
using LoraPar.Method.Importance;

namespace LoraPar.Method.Tests.Importance;

public sealed class LoraTensorNameTests
{
    [Fact]
    public void Keys_parse_into_layer_module_and_factor()
    {
        var q = LoraTensorName.Parse("model.layers.12.self_attn.q_proj.lora_A");
        Assert.Equal(("model.layers.12.self_attn.q_proj", 12, "Q", LoraFactor.A), (q.ModulePath, q.Layer, q.Module, q.Factor));
        var down = LoraTensorName.Parse("model.layers.0.mlp.down_proj.lora_B");
        Assert.Equal(("D", LoraFactor.B), (down.Module, down.Factor));
        var head = LoraTensorName.Parse("lm_head.lora_B");
        Assert.Equal((null, "lm_head"), (head.Layer, head.Module));
        Assert.Throws<BadInputException>(() => LoraTensorName.Parse("model.layers.0.self_attn.q_proj.weight"));
    }

    [Fact]
    public void Canonical_order_is_layer_then_module_then_factor()
    {
        var keys = new[]
        {
            "lm_head.lora_A", "model.layers.10.self_attn.q_proj.lora_A", "model.layers.2.mlp.down_proj.lora_A",
            "model.layers.2.self_attn.k_proj.lora_B", "model.layers.2.self_attn.k_proj.lora_A", "model.layers.2.mlp.gate_proj.lora_A",
        };
        Assert.Equal(
            [
                "model.layers.2.self_attn.k_proj.lora_A", "model.layers.2.self_attn.k_proj.lora_B", "model.layers.2.mlp.gate_proj.lora_A",
                "model.layers.2.mlp.down_proj.lora_A", "model.layers.10.self_attn.q_proj.lora_A", "lm_head.lora_A",
            ],
            LoraTensorName.CanonicalOrder(keys));
    }
}

using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests;

public sealed class LoraLinearTests : TorchTest
{
    [Fact]
    public void Forward_is_base_plus_scaled_B_A_x_on_a_hand_computed_case()
    {
        var linear = nn.Linear(2, 2, hasBias: true);
        using (no_grad())
        {
            linear.weight.copy_(tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2));
            linear.bias!.copy_(tensor(new float[] { 0.5f, -0.5f }));
        }
        using var a = tensor(new float[] { 1, 1 }).reshape(1, 2);     // (r=1, in=2)
        using var b = tensor(new float[] { 2, -1 }).reshape(2, 1);    // (out=2, r=1)
        using var lora = new LoraLinear(linear, a, b, scaling: 0.5, dropout: 0);
        using var x = tensor(new float[] { 1, 2 }).reshape(1, 2);
        // base: [1+4+0.5, 3+8-0.5] = [5.5, 10.5]; A·x = 3; B·3·0.5 = [3, -1.5]
        using var y = lora.forward(x);
        Assert.Equal(new[] { 8.5f, 9.0f }, y.data<float>().ToArray());
        lora.Enabled = false;
        using var y0 = lora.forward(x);
        Assert.Equal(new[] { 5.5f, 10.5f }, y0.data<float>().ToArray());
    }

    [Fact]
    public void Parameters_and_submodules_carry_PEFT_names()
    {
        using var lora = new LoraLinear(nn.Linear(4, 3), zeros(2, 4), zeros(3, 2), 1, 0.1);
        var names = lora.named_parameters().Select(p => p.name).Order().ToList();
        Assert.Equal(["base_layer.bias", "base_layer.weight", "lora_A", "lora_B"], names);
        Assert.Contains(lora.named_children(), c => c.name == "lora_dropout");
    }

    [Fact]
    public void Merge_then_unmerge_restores_the_base_weight_and_merged_forward_matches()
    {
        manual_seed(3);
        var linear = nn.Linear(16, 12);
        using var original = linear.weight.detach().clone();
        using var lora = new LoraLinear(linear, randn(4, 16), randn(12, 4), 2.0, 0);
        using var x = randn(5, 16);
        using var unmerged = lora.forward(x);
        lora.Merge();
        Assert.True(lora.Merged);
        using var merged = lora.forward(x);
        Assert.True(RelativeError(merged, unmerged) < 1e-5);
        lora.Unmerge();
        Assert.True(RelativeError(linear.weight, original) < 1e-5);
    }

    [Fact]
    public void Disabling_a_merged_adapter_unmerges_it_first()
    {
        var linear = nn.Linear(8, 8);
        using var original = linear.weight.detach().clone();
        using var lora = new LoraLinear(linear, ones(2, 8), ones(8, 2), 1.0, 0);
        lora.Merge();
        lora.Enabled = false;
        Assert.False(lora.Merged);
        Assert.True(RelativeError(linear.weight, original) < 1e-6);
        Assert.Throws<InvalidOperationException>(() => lora.Merge());
    }

    [Fact]
    public void Mismatched_factor_shapes_are_refused() =>
        Assert.Throws<ArgumentException>(() => new LoraLinear(nn.Linear(4, 3), zeros(2, 5), zeros(3, 2), 1, 0));
}

using LoraPar.Adapters.Masks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests.Masks;

public sealed class GradientClippingTests : TorchTest
{
    [Theory]
    [InlineData(5.0, 10.0, 1.0)]
    [InlineData(10.0, 1.0, 0.09999999000000101)]
    [InlineData(0.0, 0.1, 1.0)]
    public void Coefficient_is_torchs_rule(double norm, double maxNorm, double expected) =>
        Assert.Equal(expected, GradientClipping.ClipCoefficient(norm, maxNorm), 12);

    [Fact]
    public void Norm_counts_only_active_elements_and_clipping_scales_to_the_limit()
    {
        var p = new Parameter(zeros(2, 2), requires_grad: true) { grad = tensor(new float[] { 3, 100, 4, -100 }).reshape(2, 2) };
        var parameters = new Dictionary<string, Parameter> { ["m.lora_A"] = p };
        using var masks = new LoraMaskSet(new Dictionary<string, Tensor> { ["m.lora_A"] = tensor(new[] { true, false, true, false }).reshape(2, 2) });
        Assert.Equal(5.0, GradientClipping.ActiveNorm(parameters, masks), 6);      // √(3² + 4²); the ±100 are frozen
        var before = GradientClipping.ClipByGlobalNorm(parameters, masks, 1.0);
        Assert.Equal(5.0, before, 6);
        Assert.Equal(1.0, GradientClipping.ActiveNorm(parameters, masks), 5);
    }
}

using LoraPar.Adapters.Inits;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests.Inits;

public sealed class KaimingUniformTests : TorchTest
{
    [Theory]
    [InlineData(16, 0.25)]
    [InlineData(100, 0.1)]
    [InlineData(4096, 0.015625)]
    public void Bound_with_a_root_five_is_one_over_root_fan_in(long fanIn, double expected) =>
        Assert.Equal(expected, KaimingUniform.Bound(fanIn, Math.Sqrt(5)), 12);

    [Fact]
    public void Bound_with_a_zero_is_root_six_over_root_fan_in() =>
        Assert.Equal(Math.Sqrt(6.0 / 9), KaimingUniform.Bound(9, 0), 12);

    [Fact]
    public void Fill_stays_inside_the_bound_and_is_seeded()
    {
        using var g1 = new Generator(11, CPU);
        using var g2 = new Generator(11, CPU);
        using var w1 = KaimingUniform.Fill(empty(8, 64), Math.Sqrt(5), g1);
        using var w2 = KaimingUniform.Fill(empty(8, 64), Math.Sqrt(5), g2);
        Assert.True(w1.abs().max().item<float>() <= 0.125f);
        Assert.True(w1.abs().max().item<float>() > 0.1f);
        Assert.True(Same(w1, w2));
    }
}

using LoraPar.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Tests.Llama;

public sealed class SingleQueryAttentionTests : TorchTest
{
    private static readonly AttentionMask NoMask = new(null, false);

    [Fact]
    public void Weights_values_by_the_softmax_of_scaled_dot_products()
    {
        // one head, D = 4 (scale 1/2): q·k = (0, 2) → scaled (0, 1) → softmax (1, e)/(1 + e); o = (v0 + e·v1)/(1 + e)
        float[] q = [1, 1, 0, 0], k = [0, 0, 1, 1, 1, 1, 0, 0], v = [1, 0, 0, 0, 0, 1, 0, 0];
        var o = new float[4];
        SingleQueryAttention.Heads(q, k, v, o, new SingleQueryAttention.Shape(Heads: 1, Groups: 1, Length: 2, Dim: 4, HeadStride: 8));
        var e = MathF.E;
        Assert.Equal([1 / (1 + e), e / (1 + e), 0, 0], o, new FloatNear(1e-6f));
    }

    [Theory]
    [InlineData(4, 4, 7)]
    [InlineData(4, 2, 13)]
    [InlineData(8, 1, 1)]
    public void Equals_sdpa_over_the_filled_cache_slots(int heads, int kvHeads, int length)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var generator = new torch.Generator(4, CPU);
        const int dim = 16, capacity = 20;
        var q = torch.randn(1, heads, 1, dim, generator: generator);                          // (1, H, 1, D)
        var keys = torch.randn(1, kvHeads, capacity, dim, generator: generator);             // (1, H_kv, capacity, D)
        var values = torch.randn(1, kvHeads, capacity, dim, generator: generator);
        Assert.True(SingleQueryAttention.Applies(q, keys, values, NoMask));
        var groups = heads / kvHeads;
        var k = keys.narrow(2, 0, length).repeat_interleave(groups, 1);                       // (1, H, S, D)
        var v = values.narrow(2, 0, length).repeat_interleave(groups, 1);
        var expected = nn.functional.scaled_dot_product_attention(q, k, v);                   // (1, H, 1, D)
        Assert.True(SingleQueryAttention.Compute(q, keys, values, length).allclose(expected, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Applies_only_to_one_unmasked_float32_query_at_batch_one_without_gradients()
    {
        using var scope = torch.NewDisposeScope();
        var keys = torch.randn(1, 2, 8, 4);
        Assert.False(SingleQueryAttention.Applies(torch.randn(2, 2, 1, 4), keys, keys, NoMask));                      // batch 2
        Assert.False(SingleQueryAttention.Applies(torch.randn(1, 2, 3, 4), keys, keys, NoMask));                      // 3 queries
        Assert.False(SingleQueryAttention.Applies(torch.randn(1, 2, 1, 4), keys, keys, new AttentionMask(torch.ones(1, 1, 1, 8, dtype: ScalarType.Bool), false)));
        Assert.False(SingleQueryAttention.Applies(torch.randn(1, 2, 1, 4, requires_grad: true), keys, keys, NoMask)); // gradient wanted
        Assert.False(SingleQueryAttention.Applies(torch.randn(1, 2, 1, 4, dtype: ScalarType.Float64), keys.to(ScalarType.Float64), keys.to(ScalarType.Float64), NoMask));
        Assert.True(SingleQueryAttention.Applies(torch.randn(1, 2, 1, 4), keys, keys, NoMask));
    }

    private sealed class FloatNear(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}

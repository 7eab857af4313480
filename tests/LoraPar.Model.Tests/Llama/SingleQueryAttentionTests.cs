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

    [Fact]
    public void Rotate_matches_the_tensor_rotary_rule()
    {
        var config = TinyModelFactory.Config(10, hidden: 16, heads: 2, kvHeads: 2);                // D = 8
        using var scope = torch.NewDisposeScope();
        using var positions = torch.tensor(new long[] { 5 }).view(1, 1);
        var (cos, sin) = new RotaryEmbedding(config).Angles(positions, ScalarType.Float32);      // (1, 1, 1, 8)
        var x = torch.randn(1, 1, 2, 8);                                                          // (B, T, H, D)
        var expected = RotaryEmbedding.Apply(x, cos, sin).data<float>().ToArray();
        var rotated = x.data<float>().ToArray();
        SingleQueryAttention.Rotate(rotated, cos.data<float>().ToArray(), sin.data<float>().ToArray(), 8);
        Assert.Equal(expected, rotated, new FloatNear(1e-6f));
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(4, 2)]
    [InlineData(4, 1)]
    public void Cached_single_token_steps_equal_the_tensor_route(int heads, int kvHeads)
    {
        var config = TinyModelFactory.Config(vocabSize: 40, hidden: 32, heads: heads, kvHeads: kvHeads);
        using var model = TinyModelFactory.Create(config, seed: 17);
        using var scope = torch.NewDisposeScope();
        long[] tokens = [4, 9, 13, 2, 30, 7, 21];
        using var fast = model.NewCache(1, tokens.Length);
        using var tensorRoute = model.NewCache(1, tokens.Length);
        Tensor Ids(params long[] ids) => torch.tensor(ids).view(1, ids.Length);
        using (torch.inference_mode()) model.Forward(new CausalLMInput(Ids(tokens[..2])) { Cache = fast });
        model.Forward(new CausalLMInput(Ids(tokens[..2])) { Cache = tensorRoute });
        for (var t = 2; t < tokens.Length; t++)
        {
            Tensor a;
            using (torch.inference_mode()) a = model.Forward(new CausalLMInput(Ids(tokens[t])) { Cache = fast });   // SingleQueryAttention
            var b = model.Forward(new CausalLMInput(Ids(tokens[t])) { Cache = tensorRoute });                       // gradients on: SDPA
            Assert.True(a.allclose(b.detach(), rtol: 0, atol: 1e-5), $"position {t}");
        }
    }

    [Fact]
    public void Applies_only_to_one_unmasked_float32_token_at_batch_one_without_gradients()
    {
        var config = TinyModelFactory.Config(vocabSize: 40, hidden: 32, heads: 4, kvHeads: 2);   // D = 8
        using var scope = torch.NewDisposeScope();
        using var one = new KvCache(config, 1, 8, ScalarType.Float32, CPU);
        using var two = new KvCache(config, 2, 8, ScalarType.Float32, CPU);
        var (cos, sin) = (torch.ones(1, 1, 1, 8), torch.zeros(1, 1, 1, 8));
        AttentionContext Context(KvCache? cache, AttentionMask? mask = null) => new(cos, sin, mask ?? NoMask, cache);
        Tensor q = torch.randn(1, 1, 32), kv = torch.randn(1, 1, 16);
        Assert.True(SingleQueryAttention.Applies(q, kv, kv, Context(one), 0));
        Assert.False(SingleQueryAttention.Applies(q, kv, kv, Context(null), 0));                                    // no cache
        Assert.False(SingleQueryAttention.Applies(q, kv, kv, Context(two), 0));                                     // batch 2
        Assert.False(SingleQueryAttention.Applies(q, kv, kv, Context(one, new AttentionMask(torch.ones(1, 1, 1, 1, dtype: ScalarType.Bool), false)), 0));
        Assert.False(SingleQueryAttention.Applies(torch.randn(1, 2, 32), torch.randn(1, 2, 16), torch.randn(1, 2, 16), Context(one), 0));  // 2 tokens
        Assert.False(SingleQueryAttention.Applies(torch.randn(1, 1, 32, requires_grad: true), kv, kv, Context(one), 0));                    // gradient wanted
    }

    private sealed class FloatNear(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}

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
        // one head, D = 8 (scale 1/√8): q·k = (0, √8) → scaled (0, 1) → softmax (1, e)/(1 + e); o = (v0 + e·v1)/(1 + e)
        var r = MathF.Sqrt(8) / 2;
        float[] q = [r, r, 0, 0, 0, 0, 0, 0], k = [0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0];
        float[] v = [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        var o = new float[8];
        SingleQueryAttention.Heads(q, k, v, o, new SingleQueryAttention.Shape(Heads: 1, Groups: 1, Length: 2, Dim: 8, HeadStride: 16));
        var e = MathF.E;
        Assert.Equal([1 / (1 + e), e / (1 + e), 0, 0, 0, 0, 0, 0], o, new FloatNear(1e-6f));
    }

    [Theory]
    [InlineData(2, 1, 37, 16)]                                                                   // D = 16: one 512-bit register per chunk
    [InlineData(4, 2, 65, 64)]                                                                   // D = 64: four 512-bit registers per chunk
    [InlineData(2, 2, 9, 8)]                                                                     // D = 8: the 512-bit path falls back to 256
    public void The_512_bit_and_the_avx2_kernels_agree(int heads, int kvHeads, int length, int dim)
    {
        var random = new Random(11);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
        var shape = new SingleQueryAttention.Shape(heads, heads / kvHeads, length, dim, HeadStride: (length + 3) * dim);
        float[] q = Values(heads * dim), k = Values(kvHeads * shape.HeadStride), v = Values(k.Length);
        float[] wide = new float[heads * dim], narrow = new float[heads * dim];
        SingleQueryAttention.Heads(q, k, v, wide, shape, KernelWidth.Widest);
        SingleQueryAttention.Heads(q, k, v, narrow, shape, KernelWidth.Avx2);
        Assert.Equal(narrow, wide, new FloatNear(1e-6f));
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
    [InlineData(4, 4, 32)]
    [InlineData(4, 2, 32)]
    [InlineData(4, 1, 32)]
    [InlineData(2, 1, 128)]                                                                      // D = 64: 32-wide register chunks
    public void Cached_single_token_steps_equal_the_tensor_route(int heads, int kvHeads, int hidden)
    {
        var config = TinyModelFactory.Config(vocabSize: 40, hidden: hidden, heads: heads, kvHeads: kvHeads);
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
    public void A_long_cache_read_in_parallel_parts_gives_the_attention_of_sdpa()
    {
        var config = TinyModelFactory.Config(vocabSize: 40, hidden: 64, heads: 4, kvHeads: 2, maxPositions: 4096);  // D = 16
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var generator = new torch.Generator(8, CPU);
        using var cache = new KvCache(config, 1, 2100, ScalarType.Float32, CPU);
        var (keys, values) = cache.Buffers(0);
        keys.copy_(torch.randn(keys.shape, generator: generator));
        values.copy_(torch.randn(values.shape, generator: generator));
        cache.Advance(2000);                                                                      // 2 × 2 × 2001 × 16 floats: 512 KB
        Tensor q = torch.randn(1, 1, 64, generator: generator), k = torch.randn(1, 1, 32, generator: generator), v = torch.randn(1, 1, 32, generator: generator);
        var context = new AttentionContext(torch.ones(1, 1, 1, 16), torch.zeros(1, 1, 1, 16), NoMask, cache);  // rotation by angle 0
        var output = SingleQueryAttention.Step(q, k, v, context, 0);                              // (1, 1, H·D)
        Assert.True(keys[0, .., 2000].allclose(k.view(2, 16)) && values[0, .., 2000].allclose(v.view(2, 16)));   // written to slot 2000
        var expected = nn.functional.scaled_dot_product_attention(q.view(1, 4, 1, 16),
            keys.narrow(2, 0, 2001).repeat_interleave(2, 1), values.narrow(2, 0, 2001).repeat_interleave(2, 1));  // (1, H, 1, D)
        Assert.True(output.allclose(expected.view(1, 1, 64), rtol: 0, atol: 1e-5));
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

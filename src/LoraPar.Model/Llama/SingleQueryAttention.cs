using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>
/// Attention of a single new query at batch 1 over all cached keys — the batch-1 decoding step — on the CPU in float32:
/// o_h = softmax(q_h · K_gᵀ / √D) · V_g for each query head h of key/value group g, in one single-threaded pass. LibTorch's
/// SDPA hands this tiny problem to its thread pool, and the hand-off costs more than the arithmetic (on the loaded 2-core
/// benchmark machine SDPA took ~90 µs per layer, ~40 µs of it waiting for the second thread).
/// </summary>
public static class SingleQueryAttention
{
    /// <summary>
    /// Whether <see cref="Compute"/> handles the query <paramref name="q"/> (1, H, 1, D) over the cache buffers
    /// <paramref name="keys"/> and <paramref name="values"/> (1, H_kv, capacity, D) under <paramref name="mask"/>:
    /// no mask, CPU float32, contiguous, and no gradient wanted.
    /// </summary>
    public static bool Applies(Tensor q, Tensor keys, Tensor values, AttentionMask mask) =>
        mask is { Mask: null, IsCausal: false }
        && q.device_type == DeviceType.CPU && keys.device_type == DeviceType.CPU
        && q.dtype == ScalarType.Float32 && keys.dtype == ScalarType.Float32 && values.dtype == ScalarType.Float32
        && q.dim() == 4 && q.shape[0] == 1 && q.shape[2] == 1 && keys.dim() == 4 && keys.shape[0] == 1
        && keys.shape[1] > 0 && q.shape[1] % keys.shape[1] == 0 && keys.shape[3] == q.shape[3]
        && !(torch.is_grad_enabled() && q.requires_grad)
        && q.is_contiguous() && keys.is_contiguous() && values.is_contiguous()
        && keys.numel() <= int.MaxValue / sizeof(float);

    /// <summary>(1, H, 1, D) attention outputs of <paramref name="q"/> over the first <paramref name="length"/> cached positions; check <see cref="Applies"/> first.</summary>
    public static Tensor Compute(Tensor q, Tensor keys, Tensor values, long length)
    {
        int heads = (int)q.shape[1], groups = heads / (int)keys.shape[1], dim = (int)q.shape[3];
        var output = torch.empty(q.shape, ScalarType.Float32, q.device);                                        // (1, H, 1, D)
        Heads(Floats(q), Floats(keys), Floats(values), Floats(output), new Shape(heads, groups, (int)length, dim, (int)(keys.shape[2] * dim)));
        return output;
    }

    /// <summary>Sizes of one call: H query heads, G per key/value head, S keys of D values, key heads <c>HeadStride</c> floats apart.</summary>
    public readonly record struct Shape(int Heads, int Groups, int Length, int Dim, int HeadStride);

    /// <summary>o_h = softmax(q_h · K_{h/G}ᵀ / √D) · V_{h/G} for every head (q, o: (H, D); k, v: heads of (S, D) rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Heads(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output, Shape shape)
    {
        var scale = 1f / MathF.Sqrt(shape.Dim);
        var weights = shape.Length <= 4096 ? stackalloc float[shape.Length] : new float[shape.Length];
        for (var h = 0; h < shape.Heads; h++)
        {
            var kv = h / shape.Groups * shape.HeadStride;
            var query = q.Slice(h * shape.Dim, shape.Dim);
            var max = float.NegativeInfinity;
            for (var s = 0; s < shape.Length; s++)
            {
                weights[s] = Dot(query, k.Slice(kv + s * shape.Dim, shape.Dim)) * scale;
                max = MathF.Max(max, weights[s]);
            }
            var total = 0f;
            for (var s = 0; s < shape.Length; s++) total += weights[s] = MathF.Exp(weights[s] - max);
            var o = output.Slice(h * shape.Dim, shape.Dim);
            o.Clear();
            for (var s = 0; s < shape.Length; s++) AddScaled(o, v.Slice(kv + s * shape.Dim, shape.Dim), weights[s] / total);
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector256<float>.Zero;
        var i = 0;
        for (; i + Vector256<float>.Count <= a.Length; i += Vector256<float>.Count)
            sum += Vector256.Create(a.Slice(i, Vector256<float>.Count)) * Vector256.Create(b.Slice(i, Vector256<float>.Count));
        var result = Vector256.Sum(sum);
        for (; i < a.Length; i++) result += a[i] * b[i];
        return result;
    }

    private static void AddScaled(Span<float> o, ReadOnlySpan<float> x, float weight)
    {
        var w = Vector256.Create(weight);
        var i = 0;
        for (; i + Vector256<float>.Count <= o.Length; i += Vector256<float>.Count)
            (Vector256.Create((ReadOnlySpan<float>)o.Slice(i, Vector256<float>.Count)) + w * Vector256.Create(x.Slice(i, Vector256<float>.Count)))
                .CopyTo(o.Slice(i, Vector256<float>.Count));
        for (; i < o.Length; i++) o[i] += weight * x[i];
    }

    private static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);
}

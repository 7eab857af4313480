using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>
/// One attention step of a single new token at batch 1 — the batch-1 decoding step — on the CPU in float32, in one
/// pass of C#: rotate q and k (<see cref="RotaryEmbedding"/>'s rotate-half rule), write k and v into the KV
/// cache's next slot, and o_h = softmax(q_h · K_gᵀ / √D) · V_g over every filled slot for each query head h of key/value
/// group g. The tensor route costs ~20 small ops per layer plus SDPA, which hands this tiny problem to its thread pool;
/// the hand-off alone costs more than the arithmetic. Long caches (≥ <see cref="CpuMatvec.ParallelBytes"/> of keys and
/// values) are read by LibTorch's intra-op thread count, whole key/value groups per thread. Where .NET accelerates
/// 512-bit vectors and D is a multiple of 16, scores and the weighted sum run on AVX-512 (<see cref="KernelWidth.Widest"/>).
/// </summary>
public static class SingleQueryAttention
{
    /// <summary>
    /// Whether <see cref="Step"/> handles new queries <paramref name="q"/>, keys <paramref name="k"/> and values
    /// <paramref name="v"/> (one row each, (1, 1, H·D) / (1, 1, H_kv·D)) under <paramref name="context"/> with its cache:
    /// no mask, CPU float32, contiguous rows, a batch-1 cache, and no gradient wanted.
    /// </summary>
    public static bool Applies(Tensor q, Tensor k, Tensor v, AttentionContext context, int layer)
    {
        if (context.Cache is not { Batch: 1 } cache || context.Mask is not { Mask: null, IsCausal: false }) return false;
        var (keys, values) = cache.Buffers(layer);
        long dim = keys.shape[3], kvWidth = keys.shape[1] * dim;
        return Fma.IsSupported && dim % Vector256<float>.Count == 0 && q.shape[0] == 1 && q.shape[1] == 1
            && k.numel() == kvWidth && v.numel() == kvWidth && q.numel() % dim == 0 && (q.numel() / dim) % keys.shape[1] == 0 && context.Cos.numel() == dim && context.SinSigned.numel() == dim
            && new[] { q, k, v, keys, values, context.Cos, context.SinSigned }.All(t =>
                t.device_type == DeviceType.CPU && t.dtype == ScalarType.Float32 && t.is_contiguous())
            && !(torch.is_grad_enabled() && (q.requires_grad || k.requires_grad || v.requires_grad))
            && keys.numel() <= int.MaxValue / sizeof(float);
    }

    /// <summary>
    /// Rotates <paramref name="q"/> and <paramref name="k"/>, appends k and v to the cache's next slot of
    /// <paramref name="layer"/> (the caller advances the cache once every layer has), and returns the attention output
    /// (1, 1, H·D). Check <see cref="Applies"/> first.
    /// </summary>
    public static Tensor Step(Tensor q, Tensor k, Tensor v, AttentionContext context, int layer)
    {
        var cache = context.Cache!;
        var (keys, values) = cache.Buffers(layer);
        var slot = cache.Length;
        if (slot + 1 > cache.Capacity)
            throw new InvalidOperationException($"KV cache overflow: {slot} + 1 slots exceed its capacity of {cache.Capacity}.");
        int dim = (int)keys.shape[3], kvHeads = (int)keys.shape[1], heads = (int)(q.numel() / dim), headStride = (int)(keys.shape[2] * dim);
        Span<float> cos = Floats(context.Cos), sin = Floats(context.SinSigned), keyBuffer = Floats(keys), valueBuffer = Floats(values);
        var query = Floats(q).ToArray();
        Rotate(query, cos, sin, dim);
        for (var g = 0; g < kvHeads; g++)
        {
            var at = g * headStride + (int)slot * dim;
            Floats(k).Slice(g * dim, dim).CopyTo(keyBuffer.Slice(at, dim));
            Rotate(keyBuffer.Slice(at, dim), cos, sin, dim);
            Floats(v).Slice(g * dim, dim).CopyTo(valueBuffer.Slice(at, dim));
        }
        var output = torch.empty([1, 1, heads * dim], ScalarType.Float32, q.device);                           // (1, 1, H·D)
        Attend(query, keys, values, output, new Shape(heads, heads / kvHeads, (int)slot + 1, dim, headStride));
        return output;
    }

    /// <summary>All heads, split into whole key/value groups over LibTorch's intra-op threads when the cache is long.</summary>
    private static void Attend(float[] query, Tensor keys, Tensor values, Tensor output, Shape shape)
    {
        var kvHeads = shape.Heads / shape.Groups;
        var bytes = 2L * kvHeads * shape.Length * shape.Dim * sizeof(float);
        var parts = bytes >= CpuMatvec.ParallelBytes ? Math.Clamp(torch.get_num_threads(), 1, kvHeads) : 1;
        if (parts == 1)
        {
            Heads(query, Floats(keys), Floats(values), Floats(output), shape);
            return;
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int from = kvHeads * part / parts * shape.Groups, to = kvHeads * (part + 1) / parts * shape.Groups;
            Heads(query, Floats(keys), Floats(values), Floats(output), shape, from, to - from);
        });
    }

    /// <summary>
    /// Rotates every head vector of <paramref name="x"/> (heads × D) in place: x·cos + rotate_half(x)·sin, with
    /// <paramref name="sinSigned"/> = (−sin, sin) over the two halves as <see cref="RotaryEmbedding.Angles"/> gives it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rotate(Span<float> x, ReadOnlySpan<float> cos, ReadOnlySpan<float> sinSigned, int dim)
    {
        var half = dim / 2;
        for (var h = 0; h + dim <= x.Length; h += dim)
            for (var i = 0; i < half; i++)
            {
                float a = x[h + i], b = x[h + half + i];
                x[h + i] = a * cos[i] + b * sinSigned[i];
                x[h + half + i] = b * cos[half + i] + a * sinSigned[half + i];
            }
    }

    /// <summary>Sizes of one call: H query heads, G per key/value head, S keys of D values, key heads <c>HeadStride</c> floats apart.</summary>
    public readonly record struct Shape(int Heads, int Groups, int Length, int Dim, int HeadStride);

    /// <summary>o_h = softmax(q_h · K_{h/G}ᵀ / √D) · V_{h/G} for every head (q, o: (H, D); k, v: heads of (S, D) rows).</summary>
    public static void Heads(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output, Shape shape, KernelWidth width = KernelWidth.Process) =>
        Heads(q, k, v, output, shape, 0, shape.Heads, width);

    /// <summary>Heads <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 of <see cref="Heads(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Shape)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Heads(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output, Shape shape, int first, int count,
        KernelWidth width = KernelWidth.Process)
    {
        if (q.Length < shape.Heads * shape.Dim || output.Length < shape.Heads * shape.Dim || shape.Dim % Vector256<float>.Count != 0
            || k.Length < (shape.Heads / shape.Groups - 1) * shape.HeadStride + shape.Length * shape.Dim || v.Length < k.Length)
            throw new ArgumentException($"attention spans do not fit {shape}");
        var weights = shape.Length <= 4096 ? stackalloc float[shape.Length] : new float[shape.Length];
        ref var keys = ref MemoryMarshal.GetReference(k);
        ref var values = ref MemoryMarshal.GetReference(v);
        var wide = KernelWidths.Uses512(width) && shape.Dim % Vector512<float>.Count == 0;
        for (var h = first; h < first + count; h++)
        {
            var kv = (nuint)(h / shape.Groups * shape.HeadStride);
            ref var query = ref MemoryMarshal.GetReference(q.Slice(h * shape.Dim, shape.Dim));
            if (wide) Scores512(ref query, ref Unsafe.Add(ref keys, kv), weights, shape.Dim);
            else Scores(ref query, ref Unsafe.Add(ref keys, kv), weights, shape.Dim);
            Softmax(weights, 1f / MathF.Sqrt(shape.Dim));
            if (wide) WeightedSum512(weights, ref Unsafe.Add(ref values, kv), output.Slice(h * shape.Dim, shape.Dim));
            else WeightedSum(weights, ref Unsafe.Add(ref values, kv), output.Slice(h * shape.Dim, shape.Dim));
        }
    }

    /// <summary>scores[s] = q · K[s] for the (S, D) rows of <paramref name="keys"/>, four keys at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scores(ref float q, ref float keys, Span<float> scores, int dim)
    {
        var s = 0;
        for (; s + 4 <= scores.Length; s += 4)
        {
            Vector256<float> a = Vector256<float>.Zero, b = a, c = a, d = a;
            ref var k0 = ref Unsafe.Add(ref keys, (nuint)(s * dim));
            for (nuint i = 0; i < (nuint)dim; i += 8)
            {
                var query = Vector256.LoadUnsafe(ref q, i);
                a = Fma.MultiplyAdd(query, Vector256.LoadUnsafe(ref k0, i), a);
                b = Fma.MultiplyAdd(query, Vector256.LoadUnsafe(ref k0, i + (nuint)dim), b);
                c = Fma.MultiplyAdd(query, Vector256.LoadUnsafe(ref k0, i + (nuint)(2 * dim)), c);
                d = Fma.MultiplyAdd(query, Vector256.LoadUnsafe(ref k0, i + (nuint)(3 * dim)), d);
            }
            (scores[s], scores[s + 1], scores[s + 2], scores[s + 3]) = (Vector256.Sum(a), Vector256.Sum(b), Vector256.Sum(c), Vector256.Sum(d));
        }
        for (; s < scores.Length; s++)
        {
            var a = Vector256<float>.Zero;
            ref var key = ref Unsafe.Add(ref keys, (nuint)(s * dim));
            for (nuint i = 0; i < (nuint)dim; i += 8) a = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref q, i), Vector256.LoadUnsafe(ref key, i), a);
            scores[s] = Vector256.Sum(a);
        }
    }

    /// <summary>scores ← softmax(scores · <paramref name="scale"/>), in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Softmax(Span<float> scores, float scale)
    {
        var max = float.NegativeInfinity;
        foreach (var x in scores) max = MathF.Max(max, x);
        var total = 0f;
        for (var s = 0; s < scores.Length; s++) total += scores[s] = MathF.Exp((scores[s] - max) * scale);
        var inverse = 1f / total;
        for (var s = 0; s < scores.Length; s++) scores[s] *= inverse;
    }

    /// <summary>o = Σ_s weights[s] · V[s] over the (S, D) rows of <paramref name="values"/>, 32 outputs at a time kept in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightedSum(ReadOnlySpan<float> weights, ref float values, Span<float> output)
    {
        var dim = output.Length;
        ref var o = ref MemoryMarshal.GetReference(output);
        var chunk = dim % 32 == 0 ? 32 : 8;
        for (var c = 0; c < dim; c += chunk)
        {
            Vector256<float> a = Vector256<float>.Zero, b = a, e = a, f = a;
            ref var column = ref Unsafe.Add(ref values, (nuint)c);
            for (var s = 0; s < weights.Length; s++)
            {
                var w = Vector256.Create(weights[s]);
                ref var row = ref Unsafe.Add(ref column, (nuint)(s * dim));
                a = Fma.MultiplyAdd(w, Vector256.LoadUnsafe(ref row), a);
                if (chunk == 8) continue;
                b = Fma.MultiplyAdd(w, Vector256.LoadUnsafe(ref row, 8), b);
                e = Fma.MultiplyAdd(w, Vector256.LoadUnsafe(ref row, 16), e);
                f = Fma.MultiplyAdd(w, Vector256.LoadUnsafe(ref row, 24), f);
            }
            a.StoreUnsafe(ref o, (nuint)c);
            if (chunk == 8) continue;
            b.StoreUnsafe(ref o, (nuint)(c + 8));
            e.StoreUnsafe(ref o, (nuint)(c + 16));
            f.StoreUnsafe(ref o, (nuint)(c + 24));
        }
    }

    /// <summary><see cref="Scores"/> on AVX-512: four keys at a time, 16 values per FMA (D a multiple of 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scores512(ref float q, ref float keys, Span<float> scores, int dim)
    {
        var s = 0;
        for (; s + 4 <= scores.Length; s += 4)
        {
            Vector512<float> a = Vector512<float>.Zero, b = a, c = a, d = a;
            ref var k0 = ref Unsafe.Add(ref keys, (nuint)(s * dim));
            for (nuint i = 0; i < (nuint)dim; i += 16)
            {
                var query = Vector512.LoadUnsafe(ref q, i);
                a = Vector512.FusedMultiplyAdd(query, Vector512.LoadUnsafe(ref k0, i), a);
                b = Vector512.FusedMultiplyAdd(query, Vector512.LoadUnsafe(ref k0, i + (nuint)dim), b);
                c = Vector512.FusedMultiplyAdd(query, Vector512.LoadUnsafe(ref k0, i + (nuint)(2 * dim)), c);
                d = Vector512.FusedMultiplyAdd(query, Vector512.LoadUnsafe(ref k0, i + (nuint)(3 * dim)), d);
            }
            (scores[s], scores[s + 1], scores[s + 2], scores[s + 3]) = (Vector512.Sum(a), Vector512.Sum(b), Vector512.Sum(c), Vector512.Sum(d));
        }
        for (; s < scores.Length; s++)
        {
            var a = Vector512<float>.Zero;
            ref var key = ref Unsafe.Add(ref keys, (nuint)(s * dim));
            for (nuint i = 0; i < (nuint)dim; i += 16) a = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref q, i), Vector512.LoadUnsafe(ref key, i), a);
            scores[s] = Vector512.Sum(a);
        }
    }

    /// <summary><see cref="WeightedSum"/> on AVX-512: 64 outputs at a time in four registers (16 where D is not a multiple of 64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightedSum512(ReadOnlySpan<float> weights, ref float values, Span<float> output)
    {
        var dim = output.Length;
        ref var o = ref MemoryMarshal.GetReference(output);
        var chunk = dim % 64 == 0 ? 64 : 16;
        for (var c = 0; c < dim; c += chunk)
        {
            Vector512<float> a = Vector512<float>.Zero, b = a, e = a, f = a;
            ref var column = ref Unsafe.Add(ref values, (nuint)c);
            for (var s = 0; s < weights.Length; s++)
            {
                var w = Vector512.Create(weights[s]);
                ref var row = ref Unsafe.Add(ref column, (nuint)(s * dim));
                a = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref row), a);
                if (chunk == 16) continue;
                b = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref row, 16), b);
                e = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref row, 32), e);
                f = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref row, 48), f);
            }
            a.StoreUnsafe(ref o, (nuint)c);
            if (chunk == 16) continue;
            b.StoreUnsafe(ref o, (nuint)(c + 16));
            e.StoreUnsafe(ref o, (nuint)(c + 32));
            f.StoreUnsafe(ref o, (nuint)(c + 48));
        }
    }

    private static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);
}

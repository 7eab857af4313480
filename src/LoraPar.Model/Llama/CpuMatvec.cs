using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>
/// y = x · W for a single input row x (in) and a float32 CPU weight W stored (in, out) row-major: the shape of every
/// projection at batch-1 decoding. The weight is read once, front to back, eight rows at a time (y += Σ x_i · W_i with
/// AVX2 FMA), which streams memory about a fifth faster than LibTorch's GEMV does for these shapes; batch-1 decoding
/// is bound by exactly that stream. Sums run in a fixed order, so results are deterministic (they differ from the
/// GEMV's in the last bits).
/// </summary>
public static class CpuMatvec
{
    private const int Rows = 8;

    /// <summary>Whether <see cref="Multiply"/> handles <paramref name="x"/> (one row of <c>in</c> values, any shape) and <paramref name="weight"/> (in, out).</summary>
    public static bool Applies(Tensor x, Tensor weight) =>
        Fma.IsSupported && Avx.IsSupported
        && x.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU
        && x.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32
        && weight.dim() == 2 && weight.is_contiguous() && x.numel() == weight.shape[0]
        && weight.numel() <= int.MaxValue / sizeof(float);

    /// <summary>(1, out) = <paramref name="x"/> · <paramref name="weight"/> (+ <paramref name="bias"/>); check <see cref="Applies"/> first.</summary>
    public static Tensor Multiply(Tensor x, Tensor weight, Tensor? bias)
    {
        int inputs = (int)weight.shape[0], outputs = (int)weight.shape[1];
        var input = x.is_contiguous() ? x : x.contiguous();
        var y = bias is null ? torch.zeros(1, outputs, ScalarType.Float32, x.device) : bias.reshape(1, outputs).clone();  // (1, out)
        Accumulate(MemoryMarshal.Cast<byte, float>(input.bytes), MemoryMarshal.Cast<byte, float>(weight.bytes), MemoryMarshal.Cast<byte, float>(y.bytes), inputs, outputs);
        return y;
    }

    /// <summary>y += Σ_i x[i] · W[i, :] for W (inputs, outputs) row-major in <paramref name="w"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, int inputs, int outputs)
    {
        if (x.Length < inputs || y.Length < outputs || w.Length < (long)inputs * outputs)
            throw new ArgumentException($"matvec spans too short for ({inputs}, {outputs})");
        ref var wr = ref MemoryMarshal.GetReference(w);
        ref var yr = ref MemoryMarshal.GetReference(y);
        var vectorEnd = outputs - outputs % Vector256<float>.Count;
        var i = 0;
        for (; i + Rows <= inputs; i += Rows)
        {
            var rows = (nuint)i * (nuint)outputs;
            BlockOfEight(x.Slice(i, Rows), ref Unsafe.Add(ref wr, rows), ref yr, (nuint)outputs, vectorEnd);
            for (var j = vectorEnd; j < outputs; j++)
                for (var r = 0; r < Rows; r++) y[j] += x[i + r] * w[(i + r) * outputs + j];
        }
        for (; i < inputs; i++)
            for (var j = 0; j < outputs; j++) y[j] += x[i] * w[i * outputs + j];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BlockOfEight(ReadOnlySpan<float> x, ref float w, ref float y, nuint stride, int vectorEnd)
    {
        Vector256<float> x0 = Vector256.Create(x[0]), x1 = Vector256.Create(x[1]), x2 = Vector256.Create(x[2]), x3 = Vector256.Create(x[3]),
            x4 = Vector256.Create(x[4]), x5 = Vector256.Create(x[5]), x6 = Vector256.Create(x[6]), x7 = Vector256.Create(x[7]);
        for (nuint j = 0; j < (nuint)vectorEnd; j += (nuint)Vector256<float>.Count)
        {
            ref var p = ref Unsafe.Add(ref w, j);
            var acc = Vector256.LoadUnsafe(ref y, j);
            acc = Fma.MultiplyAdd(x0, Vector256.LoadUnsafe(ref p), acc);
            acc = Fma.MultiplyAdd(x1, Vector256.LoadUnsafe(ref p, stride), acc);
            acc = Fma.MultiplyAdd(x2, Vector256.LoadUnsafe(ref p, 2 * stride), acc);
            acc = Fma.MultiplyAdd(x3, Vector256.LoadUnsafe(ref p, 3 * stride), acc);
            acc = Fma.MultiplyAdd(x4, Vector256.LoadUnsafe(ref p, 4 * stride), acc);
            acc = Fma.MultiplyAdd(x5, Vector256.LoadUnsafe(ref p, 5 * stride), acc);
            acc = Fma.MultiplyAdd(x6, Vector256.LoadUnsafe(ref p, 6 * stride), acc);
            acc = Fma.MultiplyAdd(x7, Vector256.LoadUnsafe(ref p, 7 * stride), acc);
            acc.StoreUnsafe(ref y, j);
        }
    }
}

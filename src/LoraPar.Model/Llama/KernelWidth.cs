using System.Runtime.Intrinsics;

namespace LoraPar.Model.Llama;

/// <summary>The vector width of lorapar's C# CPU kernels (<see cref="CpuMatvec"/>, <see cref="SingleQueryAttention"/>).</summary>
public enum KernelWidth
{
    /// <summary>512-bit where .NET accelerates <see cref="Vector512{T}"/> (AVX-512), else 256-bit. What decoding uses.</summary>
    Widest,

    /// <summary>256-bit AVX2 + FMA always: the fallback, kept callable so tests and benchmarks can compare both.</summary>
    Avx2,
}

/// <summary>Resolves a <see cref="KernelWidth"/> on this CPU.</summary>
public static class KernelWidths
{
    /// <summary>Whether <paramref name="width"/> runs 512-bit vectors here.</summary>
    public static bool Uses512(KernelWidth width) => width == KernelWidth.Widest && Vector512.IsHardwareAccelerated;
}

using System.Runtime.Intrinsics;
using LoraPar.Model.Runtime;

namespace LoraPar.Model.Llama;

/// <summary>The vector width of lorapar's C# CPU kernels (<see cref="CpuMatvec"/>, <see cref="SingleQueryAttention"/>).</summary>
public enum KernelWidth
{
    /// <summary>
    /// This process's width (<see cref="TorchRuntimeInfo.CSharpBits"/>): <see cref="Widest"/>, except on the AVX2
    /// reproducibility path, where it is <see cref="Avx2"/>. What decoding uses.
    /// </summary>
    Process,

    /// <summary>512-bit where .NET accelerates <see cref="Vector512{T}"/> (AVX-512), else 256-bit.</summary>
    Widest,

    /// <summary>256-bit AVX2 + FMA always: the fallback, kept callable so tests and benchmarks can compare both.</summary>
    Avx2,
}

/// <summary>Resolves a <see cref="KernelWidth"/> on this CPU.</summary>
public static class KernelWidths
{
    /// <summary>Whether <paramref name="width"/> runs 512-bit vectors here.</summary>
    public static bool Uses512(KernelWidth width) => width switch
    {
        KernelWidth.Widest => Vector512.IsHardwareAccelerated,
        KernelWidth.Process => TorchRuntime.EnsureInitialized().CSharpBits == 512,
        _ => false,
    };
}

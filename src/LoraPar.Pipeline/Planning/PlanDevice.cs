using System.Globalization;

namespace LoraPar.Pipeline.Planning;

/// <summary>
/// The device a plan is made for: its memory (null = unknown, no verdict), its sustained FLOP/s and its memory bandwidth.
/// Unstated figures take the defaults below, and the plan says which were stated and which assumed.
/// </summary>
/// <param name="Cuda">A GPU (true) or the CPU.</param>
/// <param name="MemoryBytes">Memory available to one process.</param>
/// <param name="FlopsPerSecond">Sustained dense FLOP/s of the compute dtype.</param>
/// <param name="BytesPerSecond">Memory bandwidth (decoding reads every weight once per token).</param>
/// <param name="Basis">Where the figures come from, for the printout.</param>
public sealed record PlanDevice(bool Cuda, double? MemoryBytes, double FlopsPerSecond, double BytesPerSecond, string Basis)
{
    /// <summary>H100/H200 SXM dense bf16 peak, FLOP/s.</summary>
    public const double HopperPeakFlops = 989e12;

    /// <summary>The share of peak a training step sustains (model FLOPs utilisation), assumed.</summary>
    public const double AssumedUtilisation = 0.4;

    /// <summary>H100 SXM memory bandwidth, bytes/s (H200: 4.8e12).</summary>
    public const double HopperBandwidth = 3.35e12;

    /// <summary>Sustained fp32 FLOP/s of training passes on the 2-core development CPU (README, Performance: ≈ 45 GFLOP/s), assumed for CPU plans.</summary>
    public const double DevelopmentCpuFlops = 5e10;

    /// <summary>Weight-streaming rate of decoding on the development CPU (README, Performance: 16–52 GB/s), bytes/s, assumed.</summary>
    public const double DevelopmentCpuBandwidth = 2e10;

    /// <summary>GPU memory reserved by the CUDA context and allocator fragmentation, not available to tensors.</summary>
    public const double CudaReserve = 2.0 * (1L << 30);

    /// <summary>The memory tensors can use: <see cref="MemoryBytes"/> less the CUDA reserve.</summary>
    public double? Usable => MemoryBytes is { } m ? Cuda ? m - CudaReserve : m : null;

    /// <summary>A device with the stated figures (null = default).</summary>
    public static PlanDevice Of(bool cuda, double? memory, double? flops, double? bandwidth)
    {
        var f = flops ?? (cuda ? HopperPeakFlops * AssumedUtilisation : DevelopmentCpuFlops);
        var b = bandwidth ?? (cuda ? HopperBandwidth : DevelopmentCpuBandwidth);
        var basis = $"{(cuda ? "cuda" : "cpu")}, {(memory is { } m ? ByteSize.Format(m) : "memory unknown (pass --device-memory)")}, "
            + $"{Number(f)} FLOP/s {(flops is null ? cuda ? $"(assumed: {AssumedUtilisation:0%} of H100/H200 bf16 peak)" : "(assumed: this project's 2-core CPU)" : "(stated)")}, "
            + $"{Number(b)} B/s {(bandwidth is null ? "(assumed)" : "(stated)")}";
        return new PlanDevice(cuda, memory, f, b, basis);
    }

    private static string Number(double value) => value.ToString("0.##e0", CultureInfo.InvariantCulture);
}

using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace LoraPar.Model.Runtime;

/// <summary>Who made the CPU, as its <c>cpuid</c> vendor string says.</summary>
public enum CpuVendor
{
    /// <summary>Not an x86 CPU, or a vendor other than the two below.</summary>
    Other,

    /// <summary><c>GenuineIntel</c>.</summary>
    Intel,

    /// <summary><c>AuthenticAMD</c>.</summary>
    Amd,
}

/// <summary>The widest fp32 FMA vector instructions the CPU reports and the OS enables.</summary>
public enum VectorIsa
{
    /// <summary>Below AVX2 + FMA, or not x86.</summary>
    Baseline,

    /// <summary>AVX2 with FMA: 256-bit vectors.</summary>
    Avx2,

    /// <summary>AVX-512 F, BW, DQ and VL: 512-bit vectors, the set MKL's AVX-512 kernels need.</summary>
    Avx512,
}

/// <summary>The host CPU as lorapar's kernel choices see it.</summary>
/// <param name="Vendor">The vendor.</param>
/// <param name="Model">The brand string, e.g. <c>AMD EPYC 9B45</c> (empty where the CPU gives none).</param>
/// <param name="Isa">The widest FMA vector ISA reported.</param>
/// <param name="Vector512Accelerated">Whether .NET runs <see cref="Vector512{T}"/> in hardware (it may decline on CPUs that throttle).</param>
public sealed record CpuIdentity(CpuVendor Vendor, string Model, VectorIsa Isa, bool Vector512Accelerated)
{
    /// <summary>Reads the running CPU.</summary>
    public static CpuIdentity Detect() =>
        new(DetectVendor(), DetectModel(), DetectIsa(), Vector512.IsHardwareAccelerated);

    /// <summary>One line for <c>lorapar info</c> and logs, e.g. <c>AMD EPYC (Amd), AVX-512</c>.</summary>
    public override string ToString() => $"{(Model.Length == 0 ? "unnamed CPU" : Model)} ({Vendor}), {IsaName(Isa)}";

    /// <summary>The usual spelling of <paramref name="isa"/>.</summary>
    public static string IsaName(VectorIsa isa) => isa switch
    {
        VectorIsa.Avx512 => "AVX-512",
        VectorIsa.Avx2 => "AVX2",
        _ => "baseline (no AVX2)",
    };

    private static VectorIsa DetectIsa()
    {
        if (Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported && Fma.IsSupported)
            return VectorIsa.Avx512;
        return Avx2.IsSupported && Fma.IsSupported ? VectorIsa.Avx2 : VectorIsa.Baseline;
    }

    private static CpuVendor DetectVendor()
    {
        if (!X86Base.IsSupported) return CpuVendor.Other;
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        return Ascii(ebx, edx, ecx) switch
        {
            "GenuineIntel" => CpuVendor.Intel,
            "AuthenticAMD" => CpuVendor.Amd,
            _ => CpuVendor.Other,
        };
    }

    /// <summary>The brand string of leaves 0x80000002–4, where the CPU has them.</summary>
    private static string DetectModel()
    {
        if (!X86Base.IsSupported || (uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax < 0x80000004) return "";
        var text = new StringBuilder();
        for (var leaf = 0x80000002; leaf <= 0x80000004; leaf++)
        {
            var (eax, ebx, ecx, edx) = X86Base.CpuId(unchecked((int)leaf), 0);
            text.Append(Ascii(eax, ebx, ecx, edx));
        }
        return text.ToString().TrimEnd('\0').Trim();
    }

    private static string Ascii(params int[] registers) =>
        Encoding.ASCII.GetString(registers.SelectMany(BitConverter.GetBytes).ToArray());
}

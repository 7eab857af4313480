namespace LoraPar.Model.Runtime;

/// <summary>The kernel family MKL computes fp32 matmuls with in this process.</summary>
public enum MklKernels
{
    /// <summary>libtorch has no MKL (a non-x86 or foreign build).</summary>
    None,

    /// <summary>Pre-AVX2 kernels.</summary>
    Baseline,

    /// <summary>256-bit AVX2 + FMA kernels.</summary>
    Avx2,

    /// <summary>512-bit AVX-512 kernels.</summary>
    Avx512,
}

/// <summary>How MKL was set up before libtorch's first use, and what it reports since.</summary>
/// <param name="Choice">What was asked for.</param>
/// <param name="Version">MKL's version, e.g. <c>2024.2</c> (empty without MKL).</param>
/// <param name="VendorCheckBypassed">Whether lorapar answered MKL's CPU-vendor check "Intel" in this process.</param>
/// <param name="CbwrBranch">MKL's conditional-numerical-reproducibility branch as it reports it (<c>mkl_cbwr_get</c>): 1 off, 2 auto, 10 AVX2, 12 AVX-512.</param>
/// <param name="Kernels">The kernels that follow from the vendor check, the CPU's ISA and the branch.</param>
public sealed record MklSetup(MklPathChoice Choice, string Version, bool VendorCheckBypassed, int CbwrBranch, MklKernels Kernels)
{
    private const int BranchAvx2 = 10;

    /// <summary>The <c>MKL_CBWR</c> value that <see cref="MklPathChoice.Avx2"/> sets.</summary>
    public const string ReproducibleBranch = "AVX2";

    /// <summary>Why the vendor check was due to be answered and could not be (MKL then runs its own path); null otherwise.</summary>
    public string? BypassFailure { get; init; }

    /// <summary>No MKL in this libtorch.</summary>
    public static MklSetup Absent(MklPathChoice choice) => new(choice, "", false, 0, MklKernels.None);

    /// <summary>Whether results are MKL's conditional numerical reproducibility: a fixed code branch, not MKL's per-CPU choice.</summary>
    public bool Reproducible => CbwrBranch >= 3;

    /// <summary>
    /// Whether lorapar answers MKL's vendor check on <paramref name="cpu"/>: under <see cref="MklPathChoice.Auto"/> an AMD
    /// CPU with AVX-512 F/BW/DQ/VL (nothing to gain without it); under <see cref="MklPathChoice.Avx2"/> any AMD CPU with
    /// AVX2, so that MKL honours the reproducible branch there; never under <see cref="MklPathChoice.Vendor"/>, never on
    /// Intel (MKL already says yes there).
    /// </summary>
    public static bool ShouldBypass(MklPathChoice choice, CpuIdentity cpu) => cpu.Vendor == CpuVendor.Amd && choice switch
    {
        MklPathChoice.Auto => cpu.Isa == VectorIsa.Avx512,
        MklPathChoice.Avx2 => cpu.Isa >= VectorIsa.Avx2,
        _ => false,
    };

    /// <summary>
    /// The kernels MKL runs: the CPU's widest ISA where MKL believes it is Intel, else at most AVX2 (MKL's path for other
    /// vendors); a reproducibility branch caps it at that branch's ISA.
    /// </summary>
    public static MklKernels Infer(CpuIdentity cpu, bool intelAnswered, int cbwrBranch)
    {
        var widest = cpu.Isa switch { VectorIsa.Avx512 => MklKernels.Avx512, VectorIsa.Avx2 => MklKernels.Avx2, _ => MklKernels.Baseline };
        var vendorPath = intelAnswered ? widest : (MklKernels)Math.Min((int)widest, (int)MklKernels.Avx2);
        var cap = (cbwrBranch & 0xFFFF) switch
        {
            < 3 => MklKernels.Avx512,           // off or auto: no cap
            < BranchAvx2 => MklKernels.Baseline,
            BranchAvx2 => MklKernels.Avx2,
            _ => MklKernels.Avx512,
        };
        return (MklKernels)Math.Min((int)vendorPath, (int)cap);
    }

    /// <summary>A short tag for recorded environments, e.g. <c>mkl 2024.2 avx512 (vendor check bypassed)</c> or <c>mkl 2024.2 avx2 cnr</c>.</summary>
    public string Tag => Kernels == MklKernels.None ? "no mkl"
        : $"mkl {Version} {Kernels.ToString().ToLowerInvariant()}{(Reproducible ? " cnr" : "")}{(VendorCheckBypassed ? " (vendor check bypassed)" : "")}";

    /// <summary>One line for <c>lorapar info</c>.</summary>
    public string Describe() => Kernels switch
    {
        MklKernels.None => "not linked into this libtorch",
        _ => $"{Version}: {Kernels} kernels" + (Reproducible ? $", reproducible branch (MKL_CBWR {CbwrBranch & 0xFFFF})" : "")
             + (VendorCheckBypassed ? ", vendor check answered \"Intel\" in-process" : "")
             + (BypassFailure is null ? "" : $", vendor check left as is ({BypassFailure})")
             + $" [{MklPathChoices.Variable}={MklPathChoices.Name(Choice)}]",
    };
}

namespace LoraPar.Model.Runtime;

/// <summary>Sets MKL up for a <see cref="MklPathChoice"/>, in the two moments <see cref="TorchRuntime"/> gives it.</summary>
internal static class MklPreparation
{
    private const string CbwrVariable = "MKL_CBWR";

    /// <summary>
    /// Before libtorch loads: the reproducibility switch sets <c>MKL_CBWR=AVX2</c> in the native environment, and caps
    /// ATen's dispatch at AVX2 (<see cref="AtenCapability.Variable"/>) unless the user chose a capability.
    /// </summary>
    public static void BeforeLoad(MklPathChoice choice)
    {
        if (choice != MklPathChoice.Avx2 || !OperatingSystem.IsLinux()) return;
        NativeEnvironment.Export(CbwrVariable, MklSetup.ReproducibleBranch, overwrite: true);
        NativeEnvironment.Export(AtenCapability.Variable, AtenCapability.Avx2, overwrite: false);
    }

    /// <summary>
    /// After libtorch loads and before its first computation: answers MKL's vendor check where
    /// <see cref="MklSetup.ShouldBypass"/> says so, then reads back MKL's version and branch.
    /// </summary>
    /// <remarks>A bypass that was due and failed (a kernel that forbids writable code pages) leaves MKL on its own path, and
    /// the setup says why (<see cref="MklSetup.BypassFailure"/>).</remarks>
    public static MklSetup AfterLoad(MklPathChoice choice, CpuIdentity cpu, string? nativeLibrary)
    {
        if (!OperatingSystem.IsLinux() || MklLibrary.Find(nativeLibrary) is not { } library) return MklSetup.Absent(choice);
        var failure = MklSetup.ShouldBypass(choice, cpu) ? MklVendorCheck.Bypass(library) ?? "" : null;
        var bypass = failure == "";
        var branch = MklLibrary.CbwrBranch(library);
        var intel = bypass || cpu.Vendor == CpuVendor.Intel;
        return new MklSetup(choice, MklLibrary.Version(library), bypass, branch, MklSetup.Infer(cpu, intel, branch))
            { BypassFailure = string.IsNullOrEmpty(failure) ? null : failure };
    }
}

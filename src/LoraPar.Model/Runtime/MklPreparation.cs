namespace LoraPar.Model.Runtime;

/// <summary>Sets MKL up for a <see cref="MklPathChoice"/>, in the two moments <see cref="TorchRuntime"/> gives it.</summary>
internal static class MklPreparation
{
    private const string CbwrVariable = "MKL_CBWR";

    /// <summary>Before libtorch loads: the reproducibility switch sets <c>MKL_CBWR=AVX2</c> in the native environment.</summary>
    public static void BeforeLoad(MklPathChoice choice)
    {
        if (choice != MklPathChoice.Avx2 || !OperatingSystem.IsLinux()) return;
        Environment.SetEnvironmentVariable(CbwrVariable, MklSetup.ReproducibleBranch);
        _ = NativeEnvironment.setenv(CbwrVariable, MklSetup.ReproducibleBranch, 1);   // .NET's own copy is not what MKL reads
    }

    /// <summary>
    /// After libtorch loads and before its first computation: answers MKL's vendor check where
    /// <see cref="MklSetup.ShouldBypass"/> says so, then reads back MKL's version and branch.
    /// </summary>
    /// <exception cref="TorchRuntimeException">The bypass was due and failed; the message names the opt-out.</exception>
    public static MklSetup AfterLoad(MklPathChoice choice, CpuIdentity cpu, string? nativeLibrary)
    {
        if (!OperatingSystem.IsLinux() || MklLibrary.Find(nativeLibrary) is not { } library) return MklSetup.Absent(choice);
        var bypass = MklSetup.ShouldBypass(choice, cpu);
        if (bypass && MklVendorCheck.Bypass(library) is { } failure)
            throw new TorchRuntimeException($"MKL's AVX-512 path could not be enabled: {failure}. " +
                $"Set {MklPathChoices.Variable}=vendor (or pass --mkl-path vendor) to run MKL's own AVX2 path.");
        var branch = MklLibrary.CbwrBranch(library);
        var intel = bypass || cpu.Vendor == CpuVendor.Intel;
        return new MklSetup(choice, MklLibrary.Version(library), bypass, branch, MklSetup.Infer(cpu, intel, branch));
    }
}

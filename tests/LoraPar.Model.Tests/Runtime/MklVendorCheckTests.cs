using System.Diagnostics;
using System.Runtime.InteropServices;
using LoraPar.Model.Runtime;

namespace LoraPar.Model.Tests.Runtime;

/// <summary>The vendor-check bypass on a stand-in library built here, and on the libtorch this process runs.</summary>
public sealed class MklVendorCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-mkl-").FullName;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int Check();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void Both_checks_of_a_loaded_library_answer_intel_after_the_bypass()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 && Which("gcc"), "needs Linux x64 and gcc to build the stand-in library");
        var library = NativeLibrary.Load(BuildStandIn());
        Assert.Equal(0, Call(library, "mkl_serv_intel_cpu_true"));
        Assert.Equal(0, Call(library, "mkl_serv_intel_cpu"));

        Assert.Null(MklVendorCheck.Bypass(library));
        Assert.Null(MklVendorCheck.Bypass(library));   // idempotent

        Assert.Equal(1, Call(library, "mkl_serv_intel_cpu_true"));
        Assert.Equal(1, Call(library, "mkl_serv_intel_cpu"));
        Assert.Equal(7, Call(library, "unrelated"));   // the rest of the page still runs
    }

    [SkippableFact]
    public void A_library_without_the_checks_is_reported_and_left_alone()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        var libc = NativeLibrary.Load("libc.so.6");
        Assert.Contains("is not exported", MklVendorCheck.Bypass(libc));
    }

    [Fact]
    public void The_runtime_sets_mkl_up_as_this_process_asks()
    {
        var info = TorchRuntime.EnsureInitialized();
        var choice = MklPathChoices.FromEnvironment();
        Assert.Equal(choice, info.Mkl.Choice);
        if (info.Mkl.Kernels == MklKernels.None) return;   // a libtorch without MKL
        Assert.Null(info.Mkl.BypassFailure);
        Assert.Equal(MklSetup.ShouldBypass(choice, info.Cpu), info.Mkl.VendorCheckBypassed);
        var honoured = info.Cpu.Vendor == CpuVendor.Intel || info.Mkl.VendorCheckBypassed;   // MKL follows MKL_CBWR only where it sees "Intel"
        if (choice == MklPathChoice.Avx2 && honoured) Assert.Equal(MklKernels.Avx2, info.Mkl.Kernels);
        if (choice == MklPathChoice.Avx2 && honoured) Assert.True(info.Mkl.Reproducible);
        if (choice == MklPathChoice.Auto && info.Cpu.Isa == VectorIsa.Avx512 && info.Cpu.Vendor is CpuVendor.Amd or CpuVendor.Intel)
            Assert.Equal(MklKernels.Avx512, info.Mkl.Kernels);
        Assert.Contains(info.Mkl.Tag, info.Kernels);
    }

    private static int Call(nint library, string name) => Marshal.GetDelegateForFunctionPointer<Check>(NativeLibrary.GetExport(library, name))();

    /// <summary>A shared object whose two checks say "not Intel", beside an unrelated function on the same page.</summary>
    private string BuildStandIn()
    {
        File.WriteAllText(Path.Combine(_dir, "standin.c"),
            "int mkl_serv_intel_cpu_true(void) { return 0; }\nint mkl_serv_intel_cpu(void) { return 0; }\nint unrelated(void) { return 7; }\n");
        var output = Path.Combine(_dir, $"libstandin{Guid.NewGuid():N}.so");
        using var gcc = Process.Start(new ProcessStartInfo("gcc", $"-shared -fPIC -O0 -o {output} standin.c") { WorkingDirectory = _dir, RedirectStandardError = true })!;
        var stderr = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        Assert.True(gcc.ExitCode == 0, $"gcc failed: {stderr}");
        return output;
    }

    private static bool Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, program)));
}

using LoraPar.Model.Runtime;

namespace LoraPar.Model.Tests.Runtime;

public sealed class AtenCapabilityTests
{
    [Fact]
    public void The_avx2_reproducibility_path_holds_libtorchs_own_kernels_at_avx2_as_libtorch_reports_it()
    {
        var info = TorchRuntime.EnsureInitialized();
        if (!OperatingSystem.IsLinux() || info.Mkl.Kernels == MklKernels.None) return;   // a libtorch without MKL: not x86
        Assert.NotEmpty(info.Aten);
        Assert.Contains($"aten {info.Aten.ToLowerInvariant()}", info.Kernels);
        var userChose = Environment.GetEnvironmentVariable(AtenCapability.Variable) is { } set && set != AtenCapability.Avx2;
        if (info.Mkl.Choice == MklPathChoice.Avx2 && info.Cpu.Isa >= VectorIsa.Avx2 && !userChose)
            Assert.Equal("AVX2", info.Aten);   // at::get_cpu_capability(): AVX2 on an AVX-512 CPU too
        if (info.Mkl.Choice != MklPathChoice.Avx2 && info.Cpu.Isa == VectorIsa.Avx512 && !userChose)
            Assert.Equal("AVX512", info.Aten);
    }
}

using LoraPar.Model.Runtime;

namespace LoraPar.Model.Tests.Runtime;

public sealed class MklSetupTests
{
    [Fact]
    public void Tests_run_on_the_bit_reproducible_avx2_path_set_by_the_test_run_settings()
    {
        Assert.Equal(MklPathChoice.Avx2, MklPathChoices.FromEnvironment());
        Assert.Equal(MklPathChoice.Avx2, TorchRuntime.EnsureInitialized().Mkl.Choice);
    }

    private static CpuIdentity Cpu(CpuVendor vendor, VectorIsa isa) => new(vendor, "test CPU", isa, isa == VectorIsa.Avx512);

    [Theory]
    [InlineData(CpuVendor.Amd, VectorIsa.Avx512, MklPathChoice.Auto, true)]
    [InlineData(CpuVendor.Amd, VectorIsa.Avx512, MklPathChoice.Avx2, true)]    // so that MKL honours the AVX2 branch
    [InlineData(CpuVendor.Amd, VectorIsa.Avx512, MklPathChoice.Vendor, false)] // the opt-out
    [InlineData(CpuVendor.Amd, VectorIsa.Avx2, MklPathChoice.Auto, false)]     // no AVX-512: nothing to gain
    [InlineData(CpuVendor.Amd, VectorIsa.Avx2, MklPathChoice.Avx2, true)]      // but the reproducible branch needs it
    [InlineData(CpuVendor.Amd, VectorIsa.Baseline, MklPathChoice.Avx2, false)]
    [InlineData(CpuVendor.Intel, VectorIsa.Avx512, MklPathChoice.Avx2, false)]
    [InlineData(CpuVendor.Intel, VectorIsa.Avx512, MklPathChoice.Auto, false)] // MKL already says yes on Intel
    [InlineData(CpuVendor.Other, VectorIsa.Avx512, MklPathChoice.Auto, false)]
    public void Bypasses_the_vendor_check_only_on_amd_with_avx512_unless_opted_out(CpuVendor vendor, VectorIsa isa, MklPathChoice choice, bool expected)
    {
        Assert.Equal(expected, MklSetup.ShouldBypass(choice, Cpu(vendor, isa)));
    }

    [Theory]
    [InlineData(CpuVendor.Amd, VectorIsa.Avx512, false, 1, MklKernels.Avx2)]   // MKL's own path on AMD
    [InlineData(CpuVendor.Amd, VectorIsa.Avx512, true, 1, MklKernels.Avx512)]
    [InlineData(CpuVendor.Amd, VectorIsa.Avx512, true, 10, MklKernels.Avx2)]   // MKL_CBWR=AVX2
    [InlineData(CpuVendor.Intel, VectorIsa.Avx512, true, 2, MklKernels.Avx512)]
    [InlineData(CpuVendor.Intel, VectorIsa.Avx2, true, 12, MklKernels.Avx2)]   // an AVX-512 branch cannot raise the CPU
    [InlineData(CpuVendor.Intel, VectorIsa.Avx512, true, 0x10000 | 3, MklKernels.Baseline)]  // MKL_CBWR=COMPATIBLE,STRICT
    [InlineData(CpuVendor.Amd, VectorIsa.Baseline, false, 1, MklKernels.Baseline)]
    public void Infers_the_kernels_from_the_vendor_answer_the_isa_and_the_branch(CpuVendor vendor, VectorIsa isa, bool intel, int branch, MklKernels expected)
    {
        Assert.Equal(expected, MklSetup.Infer(Cpu(vendor, isa), intel, branch));
    }

    [Theory]
    [InlineData(null, MklPathChoice.Auto)]
    [InlineData("", MklPathChoice.Auto)]
    [InlineData("AVX2", MklPathChoice.Avx2)]
    [InlineData(" vendor ", MklPathChoice.Vendor)]
    public void Parses_the_environment_variable(string? value, MklPathChoice expected)
    {
        Assert.Equal(expected, MklPathChoices.Parse(value));
    }

    [Fact]
    public void A_bad_value_names_the_variable_and_the_choices()
    {
        var error = Assert.Throws<TorchRuntimeException>(() => MklPathChoices.Parse("fast"));
        Assert.Contains(MklPathChoices.Variable, error.Message);
        Assert.Contains("auto, vendor, avx2", error.Message);
    }

    [Fact]
    public void Tags_say_which_kernels_and_whether_the_check_was_bypassed()
    {
        Assert.Equal("mkl 2024.2 avx512 (vendor check bypassed)", new MklSetup(MklPathChoice.Auto, "2024.2", true, 1, MklKernels.Avx512).Tag);
        Assert.Equal("mkl 2024.2 avx2 cnr", new MklSetup(MklPathChoice.Avx2, "2024.2", false, 10, MklKernels.Avx2).Tag);
        Assert.Equal("no mkl", MklSetup.Absent(MklPathChoice.Auto).Tag);
    }
}

using LoraPar.Core.Benchmarks;
using LoraPar.Model.Benchmarks;

namespace LoraPar.Model.Tests.Benchmarks;

public sealed class ModelBenchSuiteTests : TorchTest
{
    [Fact]
    public void A_quick_run_reports_every_figure_the_issue_names()
    {
        var suite = new ModelBenchSuite();
        var lines = new List<string>();
        var figures = suite.Run(new BenchOptions(Quick: true, Device: "cpu"), lines.Add, CancellationToken.None);
        Assert.Equal("model", suite.Name);
        string[] widths = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? ["matvec_512_speedup"] : [];
        Assert.Equal(
            ["train_tokens_per_s", "train_mfu", "train_mfu_libtorch", "fma_peak_gflops", "matmul_gflops", "matmul_hardware_fraction",
             "decode_cache_speedup", "decode_roofline", .. widths, "gen_tokens_per_s_b1", "gen_tokens_per_s_b8", "gen_tokens_per_s_b32"],
            figures.Select(f => f.Name));
        Assert.All(figures, f => Assert.True(double.IsFinite(f.Value) && f.Value > 0, f.Name));
        Assert.NotEmpty(lines);
    }

    [Fact]
    public void The_benchmark_model_has_about_27_million_parameters()
    {
        Assert.InRange(ModelBenchSuite.BenchConfig.ParameterCount(), 27_000_000, 28_000_000);
    }
}

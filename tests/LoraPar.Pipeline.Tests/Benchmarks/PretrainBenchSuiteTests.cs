using LoraPar.Core.Benchmarks;
using LoraPar.Pipeline.Benchmarks;

namespace LoraPar.Pipeline.Tests.Benchmarks;

[Collection(GlobalRngCollection.Name)]
public sealed class PretrainBenchSuiteTests
{
    [Fact]
    public void The_quick_suite_reports_pretrain_mfu_and_steps_per_second()
    {
        var lines = new List<string>();
        var suite = new PretrainBenchSuite();
        var figures = suite.Run(new BenchOptions(Quick: true, Device: "cpu"), lines.Add, CancellationToken.None);
        Assert.Equal("pretrain", suite.Name);
        Assert.Equal(["pretrain_mfu", "pretrain_steps_per_s", "pretrain_gflops", "pretrain_matmul_gflops"], figures.Select(f => f.Name));
        Assert.All(figures, f => Assert.True(f.Value > 0 && double.IsFinite(f.Value), $"{f.Name} = {f.Value}"));
        var (mfu, gflops, matmul) = (figures[0].Value, figures[2].Value, figures[3].Value);
        Assert.Equal(gflops / matmul, mfu, 9);
        Assert.Contains(lines, l => l.StartsWith("pretrain round 1:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_bench_shape_is_the_quickstart_manifests()
    {
        using var ws = new Workspace();
        // A copy in the workspace: its artifacts = "../artifacts" resolves there, not to the checkout's artifacts.
        ws.Write(Path.Combine("experiments", "quickstart.toml"),
            File.ReadAllText(Path.Combine(Regression.CiRun.RepositoryRoot(), "experiments", "quickstart.toml")));
        var tiny = ws.Load(Path.Combine("experiments", "quickstart.toml")).Manifest.Model.Tiny;
        Assert.Equal(tiny with { PretrainSteps = 0, PretrainSolvedFraction = 0, PretrainPoolSize = 0 },
            PretrainBenchSuite.QuickstartShape with { PretrainSteps = 0, PretrainSolvedFraction = 0, PretrainPoolSize = 0 });
    }
}

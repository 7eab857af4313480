using LoraPar.Core.Benchmarks;
using LoraPar.Method.Benchmarks;
using LoraPar.Model.Runtime;

namespace LoraPar.Method.Tests.Benchmarks;

public sealed class ImportanceBenchSuiteTests
{
    public ImportanceBenchSuiteTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Quick_run_reports_the_issues_figure_names_with_agreeing_paths()
    {
        var suite = new ImportanceBenchSuite();
        Assert.Equal("importance", suite.Name);
        var figures = suite.Run(new BenchOptions(Quick: true, Device: "cpu"), _ => { }, CancellationToken.None);
        var names = figures.Select(f => f.Name).ToList();
        Assert.Contains("importance_batched_speedup", names);
        Assert.Contains("importance_max_rel_diff", names);
        Assert.Contains("importance_peak_mib", names);
        Assert.Equal(4, figures.Single(f => f.Name == "importance_batched_speedup").Goal);
        Assert.True(figures.Single(f => f.Name == "importance_max_rel_diff").Value <= 1e-5);
        Assert.True(figures.Single(f => f.Name == "importance_peak_mib").Value > 0);
    }
}

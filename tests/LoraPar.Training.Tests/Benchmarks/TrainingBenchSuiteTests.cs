using LoraPar.Core.Benchmarks;
using LoraPar.Training.Benchmarks;

namespace LoraPar.Training.Tests.Benchmarks;

[Collection(GlobalRngCollection.Name)]
public sealed class TrainingBenchSuiteTests
{
    [Fact]
    public void The_quick_suite_reports_sft_tokens_per_second()
    {
        var lines = new List<string>();
        var figures = new TrainingBenchSuite().Run(new BenchOptions(Quick: true, Device: "cpu"), lines.Add, CancellationToken.None);
        var figure = Assert.Single(figures);
        Assert.Equal("sft_tokens_per_s", figure.Name);
        Assert.Equal("tokens/s", figure.Unit);
        Assert.Equal(Better.Higher, figure.Better);
        Assert.Null(figure.Goal);
        Assert.True(figure.Value > 0 && double.IsFinite(figure.Value));
        Assert.Contains(lines, l => l.StartsWith("sft: 4 steps", StringComparison.Ordinal));
    }
}

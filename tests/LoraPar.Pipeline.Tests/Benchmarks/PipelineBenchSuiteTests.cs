using LoraPar.Core.Benchmarks;
using LoraPar.Pipeline.Benchmarks;

namespace LoraPar.Pipeline.Tests.Benchmarks;

public sealed class PipelineBenchSuiteTests
{
    [Fact]
    public void The_suite_reports_noop_run_seconds_with_its_goal()
    {
        var lines = new List<string>();
        var figure = Assert.Single(new PipelineBenchSuite().Run(new BenchOptions(Quick: true), lines.Add, default));
        Assert.Equal(("noop_run_seconds", "s", Better.Lower, (double?)2), (figure.Name, figure.Unit, figure.Better, figure.Goal));
        Assert.True(figure.Value > 0);
        Assert.Contains(lines, l => l.Contains("first run executed 48 stages"));
    }
}

using LoraPar.Core.Benchmarks;
using LoraPar.Evaluation.Benchmarks;
using LoraPar.Evaluation.Tests.Fakes;

namespace LoraPar.Evaluation.Tests.Benchmarks;

public sealed class EvalBenchSuiteTests
{
    [Fact]
    public void Quick_run_reports_the_issue_figures()
    {
        var suite = new EvalBenchSuite(() => new ScriptedGenerator(_ => "#### 1"));
        var lines = new List<string>();

        var figures = suite.Run(new BenchOptions(Quick: true), lines.Add, CancellationToken.None);

        Assert.Equal("eval", suite.Name);
        Assert.Equal(["humaneval_samples_per_s", "gsm8k_questions_per_s"], figures.Select(f => f.Name));
        Assert.All(figures, f => Assert.Equal(Better.Higher, f.Better));
        Assert.Contains(lines, l => l.Contains("32/32 passed", StringComparison.Ordinal));
    }
}

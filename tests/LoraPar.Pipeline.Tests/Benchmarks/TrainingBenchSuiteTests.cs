using LoraPar.Core.Benchmarks;
using LoraPar.Pipeline.Benchmarks;

namespace LoraPar.Pipeline.Tests.Benchmarks;

[Collection(GlobalRngCollection.Name)]
public sealed class TrainingBenchSuiteTests
{
    [Fact]
    public void The_quick_suite_reports_the_grpo_step_split_completions_and_sft_tokens_per_second()
    {
        var lines = new List<string>();
        var suite = new TrainingBenchSuite();
        var figures = suite.Run(new BenchOptions(Quick: true, Device: "cpu"), lines.Add, CancellationToken.None);
        Assert.Equal("grpo", suite.Name);
        Assert.Equal(["grpo_rollout_share", "grpo_reference_share", "grpo_update_share", "grpo_completions_per_s", "sft_tokens_per_s"],
            figures.Select(f => f.Name));
        Assert.All(figures, f => Assert.True(f.Value > 0 && double.IsFinite(f.Value), $"{f.Name} = {f.Value}"));
        Assert.Equal(1.0, figures.Take(3).Sum(f => f.Value), 9);
        Assert.Contains(lines, l => l.StartsWith("grpo: 2 steps", StringComparison.Ordinal));
        var figure = figures[^1];
        Assert.Equal("sft_tokens_per_s", figure.Name);
        Assert.Equal("tokens/s", figure.Unit);
        Assert.Equal(Better.Higher, figure.Better);
        Assert.Null(figure.Goal);
        Assert.True(figure.Value > 0 && double.IsFinite(figure.Value));
        Assert.Contains(lines, l => l.StartsWith("sft: 4 steps", StringComparison.Ordinal));
    }
}

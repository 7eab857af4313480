using LoraPar.Core.Benchmarks;
using LoraPar.Training.Benchmarks;

namespace LoraPar.Training.Tests.Benchmarks;

[Collection(GlobalRngCollection.Name)]
public sealed class GrpoBenchSuiteTests
{
    [Fact]
    public void Quick_run_reports_the_issues_figures_with_shares_summing_to_one()
    {
        var suite = new GrpoBenchSuite();
        var lines = new List<string>();
        var figures = suite.Run(new BenchOptions(Quick: true, Device: "cpu"), lines.Add, CancellationToken.None);

        Assert.Equal("grpo", suite.Name);
        Assert.Equal(["grpo_rollout_share", "grpo_reference_share", "grpo_update_share", "grpo_completions_per_s", "sft_tokens_per_s"],
            figures.Select(f => f.Name));
        Assert.All(figures, f => Assert.True(double.IsFinite(f.Value) && f.Value > 0, $"{f.Name} = {f.Value}"));
        Assert.Equal(1.0, figures.Take(3).Sum(f => f.Value), 9);
        Assert.NotEmpty(lines);
    }
}

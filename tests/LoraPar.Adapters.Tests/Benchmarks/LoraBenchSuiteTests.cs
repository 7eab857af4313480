using LoraPar.Adapters.Benchmarks;
using LoraPar.Core.Benchmarks;

namespace LoraPar.Adapters.Tests.Benchmarks;

public sealed class LoraBenchSuiteTests : TorchTest
{
    [Fact]
    public void Quick_run_reports_the_issues_figure_names()
    {
        var suite = new LoraBenchSuite();
        Assert.Equal("lora", suite.Name);
        var figures = suite.Run(new BenchOptions(Quick: true, Device: "cpu"), _ => { }, CancellationToken.None);
        var names = figures.Select(f => f.Name).ToList();
        Assert.Contains("optimizer_state_ratio", names);
        Assert.Contains("optimizer_step_ratio", names);
        Assert.Equal(0.45, figures.Single(f => f.Name == "optimizer_state_ratio").Goal);
    }

    [Fact]
    public void Llama_7B_shapes_hold_the_QKVGUD_r8_element_count()
    {
        var shapes = LoraBenchSuite.Llama7BShapes(32);
        Assert.Equal(32 * 12, shapes.Count);
        Assert.Equal(17_891_328, shapes.Sum(s => s.Shape[0] * s.Shape[1]));
        Assert.Equal([8L, 11008L], shapes.Single(s => s.Key == "model.layers.0.mlp.down_proj.lora_A").Shape);
    }
}

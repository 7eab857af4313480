using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Sweeps;
using LoraPar.Pipeline.Tests.Regression;

namespace LoraPar.Pipeline.Tests.Reporting;

/// <summary>
/// The repository's θ sweeps draw Figure 5: Table 3's manifest and its miniature twin (θ × three module sets × two
/// selections) and the quickstart's θ sweep give the lines the paper's figure has, from their own sweep expansion.
/// </summary>
public sealed class ThetaSweepManifestTests
{
    private static IReadOnlyList<RunVariant> Variants(string relative)
    {
        var path = Path.Combine(CiRun.RepositoryRoot(), relative);
        var loaded = ManifestLoader.Load(path, new ManifestLoadOptions(CiRun.RepositoryRoot(), PathCheckMode.Warnings, _ => null));
        return SweepExpansion.Expand(loaded.Manifest);
    }

    /// <summary>Each run with the metrics its masks and eval stages report, valued by its θ (no training: the figure's data is what is checked).</summary>
    private static IReadOnlyList<RunResults> Results(IReadOnlyList<RunVariant> variants, params string[] sets) =>
        variants.Select(v => new RunResults(v, sets.SelectMany(set => new[]
        {
            KeyValuePair.Create($"{set}_stage1", 10 + 20 * v.Manifest.Partition.Theta),
            KeyValuePair.Create($"{set}_base", 13.3),
        }).Append(KeyValuePair.Create("stage1_active_percent", 45 * v.Manifest.Partition.Theta)).ToDictionary()))
        .ToList();

    [Theory]
    [InlineData("experiments/paper/table3.toml")]
    [InlineData("experiments/paper-mini/table3.toml")]
    public void Table_3_draws_one_figure_with_a_line_per_module_set_and_selection_over_ten_thetas(string manifest)
    {
        var variants = Variants(manifest);
        Assert.Equal(60, variants.Count);
        var figure = Assert.Single(ThetaPerformancePlot.Figures(Results(variants, "gsm8k_accuracy")));
        Assert.Equal("accuracy_vs_active_gsm8k_accuracy_stage1.png", figure.FileName);
        Assert.Equal([("gud", false), ("gud", true), ("qkv", false), ("qkv", true), ("qkvgud", false), ("qkvgud", true)],
            figure.Series.Select(s => (s.Modules, s.Dashed)));
        Assert.All(figure.Series, s => Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], s.Points.Select(p => p.Theta)));
        Assert.Equal(13.3, figure.Base);
    }

    [Fact]
    public void The_quickstart_theta_sweep_draws_figure_5_for_each_answer_set_after_stage_1_only()
    {
        var variants = Variants("experiments/quickstart-theta.toml");
        Assert.Equal(8, variants.Count);
        Assert.All(variants, v => Assert.Equal(TrainingMethod.LoraParSft, v.Manifest.Method));
        var figures = ThetaPerformancePlot.Figures(Results(variants, "synthetic_s1_accuracy", "synthetic_s2_accuracy"));
        Assert.Equal(["accuracy_vs_active_synthetic_s1_accuracy_stage1.png", "accuracy_vs_active_synthetic_s2_accuracy_stage1.png"],
            figures.Select(f => f.FileName));
        Assert.All(figures, f => Assert.Equal([MaskStrategy.Importance, MaskStrategy.Random], f.Series.Select(s => s.Selection)));
        Assert.All(figures.SelectMany(f => f.Series), s => Assert.Equal([0.2, 0.5, 0.8, 1.0], s.Points.Select(p => p.Theta)));
    }
}

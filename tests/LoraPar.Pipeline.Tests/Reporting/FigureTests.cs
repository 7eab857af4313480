using LoraPar.Adapters;
using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Masks;
using LoraPar.Pipeline.Sweeps;
using LoraPar.Pipeline.Tests.Stages;
using LoraPar.Pipeline.Tests.Stages.Masks;
using ScottPlot;

namespace LoraPar.Pipeline.Tests.Reporting;

/// <summary>
/// The figures' data: Figure 5 from a θ sweep (points, lines, dashes, the base line), heat-map colour ranges and cell labels,
/// smoothed curves with epoch marks, and a palette that keeps sixty runs apart; then that the PNGs are written.
/// </summary>
public sealed class FigureTests
{
    public FigureTests() => TorchRuntime.EnsureInitialized();

    private static RunResults Run(double theta, LoraTargets modules, MaskStrategy selection, double active, double accuracy, string? seed = null)
    {
        var manifest = new PipelineManifest { Partition = new() { Theta = theta, Selection = selection }, Lora = new() { Targets = modules } };
        List<KeyValuePair<string, string>> point =
            [KeyValuePair.Create("partition.theta", $"{theta}"), KeyValuePair.Create("lora.targets", modules.SettingText),
             KeyValuePair.Create("partition.selection", KebabCase.Name(selection))];
        if (seed is not null) point.Add(KeyValuePair.Create("seed", seed));
        return new RunResults(new RunVariant(string.Join(",", point.Select(p => $"{p.Key}={p.Value}")), manifest, point), new Dictionary<string, double>
        {
            ["stage1_active_percent"] = active, ["gsm8k_accuracy_stage1"] = accuracy, ["gsm8k_accuracy_base"] = 13.3,
        });
    }

    [Fact]
    public void Figure_5_has_one_line_per_module_set_and_selection_ordered_by_share_active_with_random_dashed_and_the_base_line()
    {
        // Table 3's QKV and GUD rows at θ = 0.1, 0.5, 0.9 (paper values), random at the same share with lower accuracy.
        var runs = new[]
        {
            Run(0.9, LoraTargets.Qkv, MaskStrategy.Importance, 27.07, 24.41), Run(0.1, LoraTargets.Qkv, MaskStrategy.Importance, 0.30, 0.0),
            Run(0.5, LoraTargets.Qkv, MaskStrategy.Importance, 6.49, 20.70), Run(0.9, LoraTargets.Qkv, MaskStrategy.Random, 27.07, 21.0),
            Run(0.5, LoraTargets.Qkv, MaskStrategy.Random, 6.49, 9.0), Run(0.9, LoraTargets.Gud, MaskStrategy.Importance, 35.2, 28.4),
            Run(0.5, LoraTargets.Gud, MaskStrategy.Importance, 8.1, 21.2),
        };
        var figure = Assert.Single(ThetaPerformancePlot.Figures(runs));
        Assert.Equal(("gsm8k_accuracy", "stage1", "", 13.3), (figure.Set, figure.Point, figure.Group, figure.Base));
        Assert.Equal([("gud", MaskStrategy.Importance, false), ("qkv", MaskStrategy.Importance, false), ("qkv", MaskStrategy.Random, true)],
            figure.Series.Select(s => (s.Modules, s.Selection, s.Dashed)));
        Assert.Equal([(0.1, 0.30, 0.0), (0.5, 6.49, 20.70), (0.9, 27.07, 24.41)], figure.Series[1].Points.Select(p => (p.Theta, p.ActivePercent, p.Accuracy)));
        Assert.Equal([6.49, 27.07], figure.Series[2].Points.Select(p => p.ActivePercent));
        Assert.Equal("accuracy_vs_active_gsm8k_accuracy_stage1.png", figure.FileName);
        Assert.Equal("GSM8K accuracy after stage 1 against the % of LoRA elements it trained", figure.Caption);
        Assert.True(ThetaPerformancePlot.Render(figure).Length > 10_000);
    }

    [Fact]
    public void Other_swept_settings_get_figures_of_their_own_and_a_sweep_without_theta_gets_none()
    {
        var runs = new[]
        {
            Run(0.5, LoraTargets.Qkv, MaskStrategy.Importance, 6, 20, seed: "1"), Run(0.9, LoraTargets.Qkv, MaskStrategy.Importance, 27, 24, seed: "1"),
            Run(0.5, LoraTargets.Qkv, MaskStrategy.Importance, 6, 19, seed: "2"), Run(0.9, LoraTargets.Qkv, MaskStrategy.Importance, 27, 25, seed: "2"),
        };
        Assert.Equal(["seed=1", "seed=2"], ThetaPerformancePlot.Figures(runs).Select(f => f.Group));
        Assert.Equal("accuracy_vs_active_gsm8k_accuracy_stage1_seed=2.png", ThetaPerformancePlot.Figures(runs)[1].FileName);
        var noTheta = runs.Select(r => r with { Variant = r.Variant with { Point = r.Variant.Point.Where(p => p.Key != "partition.theta").ToList() } }).ToList();
        Assert.Empty(ThetaPerformancePlot.Figures(noTheta));
    }

    [Fact]
    public void A_theta_sweep_report_draws_figure_5_from_the_masks_stage_shares()
    {
        const string manifest = "name = \"theta\"\nmethod = \"lora-par-sft\"\n[lora]\nr = 2\n[sweep]\ntheta = [0.3, 0.6, 0.9]\nselection = [\"importance\", \"random\"]\n";
        using var h = new StageHarness(manifest, new SyntheticScoresStage(), new MasksStage(), new LoggedTrainingStage(StageKinds.Sft), new FakeEvalStage());
        var service = new PipelineService(h.Registry, new PipelineConsole(new StringWriter(), Interactive: false), h.Ws.Root);
        service.Run(new RunRequest(h.Ws.PathOf("m.toml")), CancellationToken.None);
        var directory = h.Ws.PathOf("artifacts/runs/theta");
        var report = File.ReadAllText(Path.Combine(directory, SweepReport.FileName));
        Assert.Contains("## Accuracy against active LoRA elements (Figure 5)", report);
        Assert.Contains("](accuracy_vs_active_gsm8k_accuracy_stage1.png)", report);
        Assert.True(new FileInfo(Path.Combine(directory, "accuracy_vs_active_gsm8k_accuracy_stage1.png")).Length > 10_000);
        var loaded = h.Ws.Load("m.toml");
        var store = new ArtifactStore(loaded.Manifest.Artifacts);
        var figure = Assert.Single(ThetaPerformancePlot.Figures(RunResultsReader.Read(PipelinePlan.Build(loaded.Manifest, h.Registry, store.Hashes), store)));
        Assert.All(figure.Series, s => Assert.Equal(3, s.Points.Count));
        var importance = figure.Series.Single(s => s.Selection == MaskStrategy.Importance).Points;
        var random = figure.Series.Single(s => s.Selection == MaskStrategy.Random).Points;
        Assert.Equal(importance.Select(p => p.ActivePercent), random.Select(p => p.ActivePercent));   // the random control matches every count
        Assert.True(importance[0].ActivePercent < importance[2].ActivePercent);                    // θ 0.3 trains fewer elements than θ 0.9
    }

    private static AlphaBetaGrid Grid(string metric, params double[] values) =>
        new(metric, "", [0.0, 1.0], [0.0, 1.0], new[,] { { values[0], values[1] }, { values[2], values[3] } });

    [Fact]
    public void Heat_maps_colour_on_the_metric_range_or_from_zero_and_print_each_value_as_the_report_does()
    {
        Assert.Equal((0.0, 100.0), AlphaBetaHeatMap.ColourRange(Grid("gsm8k_accuracy_stage2", 18.88, 19.03, 18.12, 25.25)));
        Assert.Equal((0.0, 2.206), AlphaBetaHeatMap.ColourRange(Grid("sft_final_loss", 2.192, 2.206, 2.2, 2.195)));   // not 2.192..2.206
        Assert.Equal((-3.0, 3.0), AlphaBetaHeatMap.ColourRange(Grid("delta", -3, 1, 2, 0)));
        Assert.Equal((-3.0, 0.0), AlphaBetaHeatMap.ColourRange(Grid("delta", -3, -1, -2, double.NaN)));
        Assert.Equal((0.0, 1.0), AlphaBetaHeatMap.ColourRange(Grid("rl_accuracy_last", 0.25, 0.5, 0.5, 0.75)));
        var grid = Grid("gsm8k_accuracy_stage2", 18.88, 19.03, double.NaN, 25.25);
        Assert.Equal(["18.9%", "19.0%", "—", "25.3%"], new[] { (0, 0), (0, 1), (1, 0), (1, 1) }.Select(c => AlphaBetaHeatMap.CellLabel(grid, c.Item1, c.Item2)));
        Assert.Equal("25,490", AlphaBetaHeatMap.CellLabel(Grid("sft_tokens", 25_490, 1, 2, 3), 0, 0));
        Assert.True(AlphaBetaHeatMap.Render(grid).Length > 10_000);
    }

    [Fact]
    public void Curves_are_smoothed_as_tensorboard_does_and_marked_at_each_epoch()
    {
        // TensorBoard's debiased EMA, weight 0.6, by hand: m = 0.4, 0.24, 0.144; debias 0.4, 0.64, 0.784.
        Assert.Equal([1.0, 0.375, 0.144 / 0.784], CurveSmoothing.Ema([1, 0, 0]), new ToleranceComparer(1e-12));
        var manifest = new PipelineManifest { Sft = new() { Epochs = 2 } };
        Assert.Equal([25], EpochBoundaries.Of(manifest, StageKinds.Sft, new Dictionary<string, double> { ["sft_steps"] = 50 }));
        Assert.Empty(EpochBoundaries.Of(manifest with { Sft = new() { Epochs = 2, MaxSteps = 30 } }, StageKinds.Sft, new Dictionary<string, double> { ["sft_steps"] = 30 }));
        Assert.Empty(EpochBoundaries.Of(new PipelineManifest(), StageKinds.Rl, new Dictionary<string, double> { ["rl_steps"] = 10 }));
        var log = Enumerable.Range(1, 50).Select(i => new TrainingLogEntry(i, 2.0 / i, new Dictionary<string, double>())).ToList();
        var run = new RunTrainingLogs("run", new Dictionary<string, IReadOnlyList<TrainingLogEntry>> { [StageKinds.Sft] = log },
            new Dictionary<string, IReadOnlyList<int>> { [StageKinds.Sft] = [25] });
        var series = Assert.Single(TrainingCurvePlot.Series(TrainingCurveKind.SftLoss, [run]));
        Assert.Equal(CurveSmoothing.Ema(log.Select(e => e.Loss).ToList()), series.Smoothed);
        Assert.Equal(log.Select(e => e.Loss), series.Raw);
        Assert.Equal([25], TrainingCurvePlot.EpochMarks(TrainingCurveKind.SftLoss, [run]));
        Assert.Empty(TrainingCurvePlot.EpochMarks(TrainingCurveKind.GrpoReward, [run]));   // no GRPO log in this run
    }

    [Fact]
    public void Sixty_runs_get_sixty_distinct_styles_from_colours_well_apart_and_the_figure_holds_them()
    {
        var styles = Enumerable.Range(0, 60).Select(FigurePalette.Style).ToList();
        Assert.Equal(60, styles.Distinct().Count());
        // CIE76 ΔE between any two of the colours: at least 10 (2.3 is the just-noticeable difference).
        var lab = FigurePalette.Colors.Select(Lab).ToList();
        for (var i = 0; i < lab.Count; i++)
            for (var j = i + 1; j < lab.Count; j++)
                Assert.True(Distance(lab[i], lab[j]) >= 10, $"{FigurePalette.Colors[i]} vs {FigurePalette.Colors[j]}: ΔE {Distance(lab[i], lab[j]):F1}");
        var log = Enumerable.Range(1, 10).Select(i => new TrainingLogEntry(i, 1.0 / i, new Dictionary<string, double>())).ToList();
        var runs = Enumerable.Range(0, 60).Select(i => new RunTrainingLogs($"theta=0.{i % 10},modules=qkv,selection=random #{i}",
            new Dictionary<string, IReadOnlyList<TrainingLogEntry>> { [StageKinds.Sft] = log })).ToList();
        var series = TrainingCurvePlot.Series(TrainingCurveKind.SftLoss, runs);
        Assert.Equal(60, series.Select(s => (s.Color, s.Pattern)).Distinct().Count());
        var (width, height) = TrainingCurveTests.PngSize(TrainingCurvePlot.Render(TrainingCurveKind.SftLoss, runs)!);
        Assert.True(width > 900 && height > 60 * 21, $"{width} × {height}: the figure grows with its legend of sixty rows");
    }

    /// <summary>sRGB hex to CIELAB (D65), the standard formulas.</summary>
    private static (double L, double A, double B) Lab(string hex)
    {
        double Linear(int offset)
        {
            var c = Convert.ToInt32(hex.Substring(offset, 2), 16) / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        var (r, g, b) = (Linear(1), Linear(3), Linear(5));
        var (x, y, z) = (0.4124 * r + 0.3576 * g + 0.1805 * b, 0.2126 * r + 0.7152 * g + 0.0722 * b, 0.0193 * r + 0.1192 * g + 0.9505 * b);
        static double F(double t) => t > Math.Pow(6 / 29.0, 3) ? Math.Cbrt(t) : t / (3 * Math.Pow(6 / 29.0, 2)) + 4 / 29.0;
        var (fx, fy, fz) = (F(x / 0.95047), F(y), F(z / 1.08883));
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    private static double Distance((double L, double A, double B) p, (double L, double A, double B) q) =>
        Math.Sqrt(Math.Pow(p.L - q.L, 2) + Math.Pow(p.A - q.A, 2) + Math.Pow(p.B - q.B, 2));

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}

using System.Text.RegularExpressions;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Masks;
using LoraPar.Pipeline.Sweeps;
using LoraPar.Pipeline.Tests.Stages;
using LoraPar.Pipeline.Tests.Stages.Masks;

namespace LoraPar.Pipeline.Tests.Reporting;

public sealed class SweepReportTests
{
    private const string Table2 = "name = \"table2\"\n[lora]\nr = 2\n[partition]\ntheta = 0.8\n[sweep]\nalpha = [0.0, 0.5, 1.0]\nbeta = [0.0, 0.5, 1.0]\n";

    public SweepReportTests() => TorchRuntime.EnsureInitialized();

    private static RunResults Run(string name, double alpha, double beta, (string, string)[] extra, params (string Name, double Value)[] metrics)
    {
        var manifest = new PipelineManifest { Partition = new() { Alpha = alpha, Beta = beta } };
        IReadOnlyList<KeyValuePair<string, string>> point =
            [.. extra.Select(e => KeyValuePair.Create(e.Item1, e.Item2)), KeyValuePair.Create("partition.alpha", $"{alpha}"), KeyValuePair.Create("partition.beta", $"{beta}")];
        return new RunResults(new RunVariant(name, manifest, point), metrics.ToDictionary(m => m.Name, m => m.Value));
    }

    [Fact]
    public void Grids_take_varying_metrics_per_group_of_other_axes_and_leave_missing_cells_empty()
    {
        (string, string)[] t9 = [("partition.theta", "0.9")], t5 = [("partition.theta", "0.5")];
        var runs = new[]
        {
            Run("a", 0, 0, t9, ("acc", 10), ("same", 1)), Run("b", 0, 1, t9, ("acc", 12), ("same", 1)),
            Run("c", 1, 0, t9, ("acc", 14), ("same", 1)), Run("d", 1, 1, t9, ("same", 1)),
            Run("e", 0, 0, t5, ("acc", 30)), Run("f", 1, 0, t5, ("acc", 31)),
        };
        var grids = SweepReport.Grids(runs);
        Assert.Equal([("acc", "theta=0.5"), ("acc", "theta=0.9")], grids.Select(g => (g.Metric, g.Group)));
        var g9 = grids[1];
        Assert.Equal([0.0, 1.0], g9.Alphas);
        Assert.Equal((10.0, 12.0, 14.0), (g9.Values[0, 0], g9.Values[0, 1], g9.Values[1, 0]));
        Assert.True(double.IsNaN(g9.Values[1, 1]));
        Assert.False(g9.IsComplete);
        var png = AlphaBetaHeatMap.Render(g9);
        Assert.Equal((byte)0x89, png[0]);
        Assert.Equal(new[,] { { 30.0 }, { 31.0 } }, grids[0].Values);
    }

    [Fact]
    public void A_table2_sweep_gets_a_report_with_one_row_per_run_and_heat_maps_of_what_alpha_and_beta_change()
    {
        using var h = new StageHarness(Table2, new SyntheticScoresStage(), new MasksStage(), new LoggedTrainingStage(StageKinds.Sft),
            new LoggedTrainingStage(StageKinds.Rl), new FakeEvalStage());
        var console = new StringWriter();
        var service = new PipelineService(h.Registry, new PipelineConsole(console, Interactive: false), h.Ws.Root);
        service.Run(new RunRequest(h.Ws.PathOf("m.toml")), CancellationToken.None);
        Assert.Equal(1, h.Stages.Single(s => s.Kind == "scores").Executions);
        Assert.Equal(9, h.Stages.Single(s => s.Kind == "masks").Executions);
        var directory = h.Ws.PathOf("artifacts/runs/table2");
        Assert.Matches($@"\nsweep report +{Regex.Escape(Path.Combine("artifacts", "runs", "table2", SweepReport.FileName))}\n", console.ToString());
        var report = File.ReadAllText(Path.Combine(directory, SweepReport.FileName));
        Assert.StartsWith("# table2: 9 runs", report);
        Assert.Equal(9, report.Split('\n').Count(l => l.Length > 2 && l.StartsWith('|') && char.IsAsciiDigit(l.TrimStart('|', ' ')[0])));
        foreach (var metric in new[] { "gsm8k_accuracy_stage1", "gsm8k_accuracy_stage2", "active_percent", "stage1_active_percent", "stage2_active_percent" })
        {
            Assert.Contains($"](alpha_beta_{metric}.png)", report);
            Assert.Equal((byte)0x89, File.ReadAllBytes(Path.Combine(directory, $"alpha_beta_{metric}.png"))[0]);
        }
        Assert.Contains("## Training curves", report);
        Assert.Equal(9, report.Split("\n### ").Length - 1);                // "## Each run": one section per run
        Assert.Contains("\n### alpha=0.5, beta=1\n", report);
        foreach (var kind in TrainingCurveKind.All)
        {
            Assert.Contains($"]({kind.FileName})", report);
            Assert.True(new FileInfo(Path.Combine(directory, kind.FileName)).Length > 10_000);
        }
    }

    [Fact]
    public void A_single_run_has_no_sweep_report()
    {
        using var h = new StageHarness("[lora]\nr = 2\n[partition]\ntheta = 0.8\n", new SyntheticScoresStage(), new MasksStage());
        h.Run();
        Assert.Null(SweepReport.Write(h.Plan(), h.Store));
    }
}

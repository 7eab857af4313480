using LoraPar.Core;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Masks;
using LoraPar.Pipeline.Sweeps;
using LoraPar.Pipeline.Tests.Stages;
using LoraPar.Pipeline.Tests.Stages.Masks;

namespace LoraPar.Pipeline.Tests.Reporting;

public sealed class ToleranceCheckTests : IDisposable
{
    private const string Columns = """
        [pinned]
        title = "hand-made"
        columns = [
          { key = "acc1", header = "S1 acc", metric = "s1_accuracy_stage1" },
          { key = "acc2", header = "S2 acc", metric = "s2_accuracy_stage1" },
          { key = "active", header = "%active", metric = "active_percent" },
        ]
        [[pinned.rows]]
        label = "only run"
        acc1 = 20.0
        acc2 = 10.0
        active = 40.0

        """;

    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private BaselineFile Baseline(string toml) => BaselineFile.Load(_ws.Write("b.toml", toml));

    private static RunResults Run(params (string Name, double Value)[] metrics) =>
        new(new RunVariant(RunVariant.DefaultName, new PipelineManifest(), []), metrics.ToDictionary(m => m.Name, m => m.Value));

    private const string Tolerances = "[tolerances]\n\"*_accuracy_*\" = 5\nactive_percent = 0.5\n";

    [Fact]
    public void The_most_specific_rule_applies_exact_names_before_patterns()
    {
        var table = new ToleranceTable([new("*accuracy*", 5), new("s1_*_stage1", 2), new("s1_accuracy_stage1", 1), new("active_percent", 0.5)]);
        Assert.Equal(1, table.For("s1_accuracy_stage1")!.Tolerance);
        Assert.Equal(2, table.For("s1_loss_stage1")!.Tolerance);
        Assert.Equal(5, table.For("s2_accuracy_stage1")!.Tolerance);
        Assert.Equal(0.5, table.For("active_percent")!.Tolerance);
        Assert.Null(table.For("stage1_active_percent"));
        Assert.Equal(5, table.For("s1_accuracy_stage1x")!.Tolerance);   // the exact name does not match a longer one
    }

    [Fact]
    public void Cells_outside_their_tolerance_are_listed_with_ours_pinned_delta_and_tolerance()
    {
        var baseline = Baseline(Tolerances + Columns);
        var cells = Comparison.Build(baseline, [], [Run(("s1_accuracy_stage1", 26.5), ("s2_accuracy_stage1", 5.0), ("active_percent", 40.4))]);
        var result = ToleranceCheck.Run(baseline, cells);
        Assert.Equal(3, result.Checked);
        Assert.False(result.Passed);
        var breach = Assert.Single(result.Breaches);
        Assert.Equal(("only run", "S1 acc", 26.5, 20.0, 6.5, 5.0), (breach.Row, breach.Column, breach.Ours, breach.Pinned, breach.Delta, breach.Tolerance.Tolerance));
        var row = ToleranceCheck.Render(result).Split('\n').Single(l => l.StartsWith("| pinned "));
        Assert.Equal(["pinned", "only run", "S1 acc", "26.50", "20.00", "+6.50", "±5.00 (*_accuracy_*)"],
            row.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void A_difference_equal_to_the_tolerance_passes()
    {
        var baseline = Baseline(Tolerances + Columns);
        var cells = Comparison.Build(baseline, [], [Run(("s1_accuracy_stage1", 15.0), ("s2_accuracy_stage1", 15.0), ("active_percent", 39.5))]);
        var result = ToleranceCheck.Run(baseline, cells);
        Assert.True(result.Passed);
        Assert.Contains("All 3 pinned cells are within tolerance.", ToleranceCheck.Render(result));
    }

    [Fact]
    public void A_baseline_without_tolerances_a_missing_metric_or_an_uncovered_metric_is_bad_input()
    {
        var plain = Baseline(Columns);
        var full = Run(("s1_accuracy_stage1", 20), ("s2_accuracy_stage1", 10), ("active_percent", 40));
        var e = Assert.Throws<BadInputException>(() => ToleranceCheck.Run(plain, Comparison.Build(plain, [], [full])));
        Assert.Contains("no [tolerances] table", e.Message);

        var withTolerances = Baseline(Tolerances + Columns);
        var partial = Run(("s1_accuracy_stage1", 20));
        e = Assert.Throws<BadInputException>(() => ToleranceCheck.Run(withTolerances, Comparison.Build(withTolerances, [], [partial])));
        Assert.Contains("pinned / only run / S2 acc: no result of ours for metric 's2_accuracy_stage1'", e.Message);
        Assert.Contains("pinned / only run / %active: no result of ours for metric 'active_percent'", e.Message);

        var uncovered = Baseline("[tolerances]\n\"*_accuracy_*\" = 5\n" + Columns);
        e = Assert.Throws<BadInputException>(() => ToleranceCheck.Run(uncovered, Comparison.Build(uncovered, [], [full])));
        Assert.Contains("metric 'active_percent': no rule of [tolerances] covers it", e.Message);
    }

    [Fact]
    public void A_tolerance_that_is_not_a_non_negative_number_is_reported_with_its_location()
    {
        _ws.Write("bad.toml", "[tolerances]\nactive_percent = \"0.5\"\nx = -1\n" + Columns);
        var e = Assert.Throws<BadInputException>(() => BaselineFile.Load(_ws.PathOf("bad.toml")));
        Assert.Contains("bad.toml:2:1 tolerances.active_percent: expected a number ≥ 0", e.Message);
        Assert.Contains("bad.toml:3:1 tolerances.x: expected a number ≥ 0 (the largest |ours − pinned| allowed), got -1", e.Message);
    }

    [Fact]
    public void The_pinned_quickstart_baseline_has_a_tolerance_for_every_metric_it_pins()
    {
        var quickstart = BaselineFile.Load(CiRunRoot("baselines/quickstart.toml"));
        foreach (var column in quickstart.Tables.SelectMany(t => t.Columns))
            Assert.NotNull(quickstart.Tolerances.For(column.Metric));
        Assert.Equal(5, quickstart.Tolerances.For("synthetic_s2_accuracy_stage2")!.Tolerance);
        Assert.Equal(0.5, quickstart.Tolerances.For("active_percent")!.Tolerance);
    }

    [Fact]
    public void Compare_check_on_real_mask_metrics_fails_the_job_only_when_a_cell_is_outside()
    {
        TorchRuntime.EnsureInitialized();
        using var h = new StageHarness("name = \"m\"\n[lora]\nr = 2\n[partition]\ntheta = 0.8\n", new SyntheticScoresStage(), new MasksStage());
        var console = new StringWriter();
        var service = new PipelineService(h.Registry, new PipelineConsole(console, Interactive: false), h.Ws.Root);
        service.Run(new RunRequest(h.Ws.PathOf("m.toml")), CancellationToken.None);
        var active = RunResultsReader.Read(h.Plan(), h.Store).Single().Metrics["active_percent"];
        string Pinned(double offset) => $"""
            [tolerances]
            "*active_percent" = 0.5
            [masks]
            fixed = {"{"} name = "m" {"}"}
            columns = [{"{"} key = "active", header = "%active", metric = "active_percent" {"}"}]
            [[masks.rows]]
            label = "θ 0.8"
            active = {(active + offset).ToString(System.Globalization.CultureInfo.InvariantCulture)}

            """;
        h.Ws.Write("within.toml", Pinned(0.3));
        h.Ws.Write("outside.toml", Pinned(-2));
        var text = service.Compare(new CompareRequest(h.Ws.PathOf("m.toml"), h.Ws.PathOf("within.toml"), Check: true));
        Assert.Contains("All 1 pinned cells are within tolerance.", text);
        var failed = Assert.Throws<JobFailedException>(() => service.Compare(new CompareRequest(h.Ws.PathOf("m.toml"), h.Ws.PathOf("outside.toml"), Check: true)));
        Assert.Contains("1 of 1 pinned cells of outside.toml are outside their tolerance", failed.Message);
        Assert.Contains("| masks | θ 0.8 | %active |", console.ToString());
        Assert.Contains("| +2.00 | ±0.50 (*active_percent) |", console.ToString());
    }

    private static string CiRunRoot(string relative) => Path.Combine(Regression.CiRun.RepositoryRoot(), relative);
}

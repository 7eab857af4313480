using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Progress;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Training;
using LoraPar.Pipeline.Tests.Stages;
using LoraPar.Training.Grpo;
using LoraPar.Training.Monitoring;
using Spectre.Console;
using Spectre.Console.Testing;

namespace LoraPar.Pipeline.Tests.Progress;

/// <summary>
/// The live display at 80 and 120 columns, drawn on Spectre's fixed-width test console: every line fits, the GRPO status is
/// cut to the width (not to "…"), counts, rate and ETA are labelled, finished bars fold into one line.
/// </summary>
public sealed class ProgressBoardTests
{
    /// <summary>A GRPO step log with the figures the trainer logs, in its order (GrpoLogWindow: the rollout's figures, then KL, clip, ratio, rate).</summary>
    public static StepLog GrpoStep() => new(GrpoTrainer.StageName, 4, 10, 0, Loss: 1e-7, LearningRate: 1e-3, GradNorm: 0.8, TokensPerSecond: 210,
        Tokens: 9_000, new Dictionary<string, double>
        {
            [GrpoMetrics.Reward] = 1.81, [GrpoMetrics.RewardStd] = 0.4375,
            [GrpoMetrics.RewardMean("correctness")] = 0.5, [GrpoMetrics.RewardStdOf("correctness")] = 0.866,
            [GrpoMetrics.RewardMean("int")] = 0.5, [GrpoMetrics.RewardStdOf("int")] = 0,
            [GrpoMetrics.Accuracy] = 0.25, [GrpoMetrics.CompletionLength] = 61.5, [GrpoMetrics.TruncatedFraction] = 0.0625,
            [GrpoMetrics.ZeroStdFraction] = 0.375, [GrpoMetrics.Kl] = 3.1e-5, [GrpoMetrics.ClipFraction] = 0, [GrpoMetrics.Ratio] = 1,
            [GrpoMetrics.CompletionsPerSecond] = 5.8,
        });

    private static readonly string Status = ProgressMonitor.StatusText(GrpoStep());

    /// <summary>A sweep mid-way: four stages done, the GRPO stage of one run at step 4 of 10 after 44 s.</summary>
    private static IReadOnlyList<BarSnapshot> MidSweep() =>
    [
        new("all 3 runs · pretrain tiny model", 1000, 1000, "steps", 0, TimeSpan.FromSeconds(262), "loss 1.102", true),
        new("all 3 runs · data: synthetic task", 2, 2, "splits", 0, TimeSpan.FromSeconds(0.4), "", true),
        new("all 3 runs · labels: teacher votes", 1200, 1200, "asks", 0, TimeSpan.FromSeconds(1.3), "", true),
        new("selection=random · sft (stage 1)", 50, 50, "steps", 0, TimeSpan.FromSeconds(48), "", true),
        new("selection=random · grpo (stage 2)", 4, 10, "steps", 0, TimeSpan.FromSeconds(44), Status, false),
    ];

    [Fact]
    public void The_real_GRPO_status_is_long_and_shows_a_tiny_loss_in_scientific_notation()
    {
        Assert.StartsWith("loss 1e-7 lr 1e-3 reward 1.81 accuracy 0.25 kl 3.1e-5 completion_length 61.5 reward_std 0.438", Status);
        Assert.True(Status.Length > 120, $"{Status.Length}: {Status}");   // wider than the widest console tested
        Assert.DoesNotContain("0.000", Status);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void Every_line_fits_and_the_status_keeps_all_it_can(int width)
    {
        var lines = ProgressBoard.Lines(MidSweep(), width);
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.Equal(4, lines.Count);                                             // folded line, label, bar, status
        Assert.StartsWith("✓ 4 done in 5m11s: ", lines[0]);
        Assert.EndsWith("selection=random · sft (stage 1) 48s", lines[0]);
        Assert.Equal("selection=random · grpo (stage 2)", lines[1]);
        Assert.Matches(@"^  ━{" + width / 4 * 4 / 10 + "}╸─+  40% · 4/10 steps · 11\\.0 s/step · ETA 00:01:06( · elapsed 00:00:44)?$", lines[2]);
        Assert.Equal(("  " + Status)[..(width - 1)].TrimEnd() + "…", lines[3]);  // cut at the width, every character before the cut kept
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void The_test_console_draws_the_board_without_wrapping_a_line(int width)
    {
        var console = new TestConsole().Width(width);
        var lines = ProgressBoard.Lines(MidSweep(), width);
        foreach (var line in lines) console.WriteLine(line);
        Assert.Equal(lines, console.Lines.Take(lines.Count));                    // one console row per board line: ━ ╸ ✓ · … are one cell each
    }

    [Fact]
    public void A_run_through_the_spectre_reporter_ends_with_its_finished_bars_folded_into_one_line()
    {
        var console = new TestConsole().Width(80).Interactive().SupportsAnsi(true);
        var reporter = new SpectreProgressReporter(console);
        reporter.Run(() =>
        {
            foreach (var (label, steps) in new[] { ("all 3 runs · data", 2), ("selection=random · sft (stage 1)", 5), ("selection=random · grpo (stage 2)", 3) })
            {
                using var task = reporter.Start(label, steps);
                for (var i = 0; i < steps; i++)
                {
                    task.Advance();
                    task.Status(Status);
                }
                Thread.Sleep(250);   // Spectre redraws every 100 ms: let it draw a live frame of this bar
            }
            return 0;
        });
        var rows = console.Output.Split('\n').Select(r => r.TrimEnd()).Where(r => r.Length > 0).ToList();
        Assert.All(rows, r => Assert.True(r.Length <= 80, r));
        Assert.StartsWith("✓ 3 done in ", rows[^1]);
        Assert.Matches(@"selection=random · grpo \(stage 2\) [0-9.hms]+$", rows[^1]);
        Assert.Contains(ProgressBoard.Trim("  " + Status, 80), rows);   // a live frame's status, cut at the width
    }

    [Fact]
    public void Bars_asked_for_without_a_terminal_fall_back_to_lines()
    {
        var output = new StringWriter();
        new PipelineConsole(output, Interactive: false).WithProgress(ProgressDisplay.Bars, (progress, _) =>
        {
            using var task = progress.Start("sft (stage 1)", 3);
            task.Advance(3);
            return 0;
        });
        Assert.StartsWith("sft (stage 1): 3/3 steps done in ", output.ToString());
    }

    [Fact]
    public void Each_bar_of_a_sweep_names_its_run_and_a_shared_stage_names_all_runs()
    {
        using var probe = new ProbePipeline("[sweep]\nselection = [\"importance\", \"random\"]");
        var store = probe.Store;
        var plan = PipelinePlan.Build(probe.Manifest, probe.Registry, store.Hashes);
        var lines = new List<string>();
        PipelineRunner.Run(plan, store, new RunSelection(), new ExecutionEnvironment(new LineProgressReporter(lines.Add, TimeSpan.FromHours(1)), _ => { }, default));
        var done = lines.Select(l => l[..l.IndexOf(": ", StringComparison.Ordinal)]).ToList();
        Assert.Contains("all 2 runs · data", done);
        Assert.Contains("selection=importance · masks", done);
        Assert.Contains("selection=random · masks", done);
        Assert.Equal("3 runs", RunLabelledProgress.Of(["a", "b", "c"], 5));
        Assert.Equal("a+b", RunLabelledProgress.Of(["a", "b"], 5));
    }

    [Theory]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.234e-7, "1.23e-7")]
    [InlineData(2e-4, "2e-4")]
    [InlineData(0.0, "0")]
    [InlineData(0.05, "0.05")]
    [InlineData(1.23456, "1.235")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(123_456.0, "1.23e+5")]
    public void Status_numbers_switch_to_scientific_notation_outside_a_hundredth_to_a_hundred_thousand(double value, string shown) =>
        Assert.Equal(shown, StatusNumber.Format(value));
}

using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Stages.Data;
using LoraPar.Pipeline.Stages.Labels;
using LoraPar.Pipeline.Stages.Masks;
using LoraPar.Pipeline.Tests.Stages;
using LoraPar.Pipeline.Tests.Stages.Masks;

namespace LoraPar.Pipeline.Tests.Reporting;

public sealed class ReportStageTests
{
    private const string Manifest = """
        seed = 5
        [data]
        synthetic_train_size = 10
        synthetic_eval_size = 2
        [splitter]
        method = "heuristic"
        [lora]
        r = 2
        [partition]
        theta = 0.8

        """;

    public ReportStageTests() => TorchRuntime.EnsureInitialized();

    private static StageHarness Harness(string manifest = Manifest) => new(manifest,
        new DataStage(), new LabelsStage(), new SyntheticScoresStage(), new MasksStage(), new LoggedTrainingStage(StageKinds.Sft),
        new LoggedTrainingStage(StageKinds.Rl), new FakeEvalStage(), new ReportStage());

    [Fact]
    public void The_report_shows_every_stage_metric_the_labels_and_the_partition_with_its_figures()
    {
        using var h = Harness();
        h.Run();
        var dir = h.Artifact("report");
        var report = File.ReadAllText(Path.Combine(dir, "report.md"));
        Assert.True(report.Contains("| gsm8k_accuracy_stage1 "), report);
        Assert.Contains("| active_percent ", report);
        Assert.Contains("| labels_ground_truth_accuracy ", report);
        Assert.Contains("## Labels", report);
        Assert.Contains("Agreement with the synthetic task's ground truth", report);
        Assert.Contains("| System 2     |", report);
        Assert.Contains("## Partition", report);
        Assert.Contains("![Active LoRA elements against θ](theta_curve.png)", report);
        Assert.Contains("](importance_scatter.png)", report);
        foreach (var (file, _) in ReportSections.PartitionFigures)
            Assert.Equal(File.ReadAllBytes(Path.Combine(h.Artifact("masks"), file)), File.ReadAllBytes(Path.Combine(dir, file)));
    }

    [Fact]
    public void The_report_opens_with_the_headline_and_shows_counts_as_integers_and_shares_in_percent_per_stage()
    {
        using var h = Harness();
        h.Run();
        var report = File.ReadAllText(Path.Combine(h.Artifact("report"), "report.md"));
        var headline = report.IndexOf("## Headline\n\nLoRA elements trained: stage 1 ", StringComparison.Ordinal);
        Assert.True(headline > 0 && headline < report.IndexOf("## Labels", StringComparison.Ordinal), report);
        Assert.Contains("| GSM8K           |    — |   30.0% |   41.0% |", report);            // α = β = 1: 20 + 10, 25 + 10 + 6
        Assert.True(report.IndexOf("### labels", StringComparison.Ordinal) < report.IndexOf("### masks", StringComparison.Ordinal));
        Assert.Matches(@"\| labels_d1 +\| +\d+ \| examples +\|", report);                   // a count, no decimals
        Assert.Matches(@"\| active_percent +\| +\d+\.\d% \| % of LoRA elements \|", report);
    }

    [Fact]
    public void The_report_draws_the_training_curves_of_its_sft_and_rl_stages()
    {
        using var h = Harness();
        h.Run();
        var dir = h.Artifact("report");
        var report = File.ReadAllText(Path.Combine(dir, "report.md"));
        Assert.Contains("## Training curves", report);
        foreach (var kind in TrainingCurveKind.All)
        {
            Assert.Contains($"]({kind.FileName})", report);
            var (width, height) = TrainingCurveTests.PngSize(File.ReadAllBytes(Path.Combine(dir, kind.FileName)));
            Assert.Equal(900, width);
            Assert.InRange(height, 551, 650);   // the axes' 550 and a legend row (logged, smoothed) below them
        }
        var log = TrainingLog.Read(Path.Combine(h.Artifact("sft"), LoraPar.Pipeline.Stages.Training.TrainingCurve.FileName));
        Assert.Equal(Enumerable.Range(1, LoggedTrainingStage.Steps).Select(s => LoggedTrainingStage.Loss(s, h.Manifest.Partition.Alpha)),
            TrainingCurveKind.SftLoss.Series(log).Values);
    }

    [Fact]
    public void Under_method_sft_the_report_has_no_rl_curves()
    {
        using var h = Harness("method = \"sft\"\n" + Manifest);
        h.Run();
        var dir = h.Artifact("report");
        Assert.True(File.Exists(Path.Combine(dir, TrainingCurveKind.SftLoss.FileName)));
        Assert.False(File.Exists(Path.Combine(dir, TrainingCurveKind.GrpoReward.FileName)));
    }

    [Fact]
    public void Without_figures_the_report_links_none()
    {
        using var h = Harness(Manifest + "[report]\nfigures = false\n");
        h.Run();
        var dir = h.Artifact("report");
        Assert.DoesNotContain("![", File.ReadAllText(Path.Combine(dir, "report.md")));
        Assert.False(File.Exists(Path.Combine(dir, PartitionArtifacts.ThetaCurveFileName)));
    }
}

using LoraPar.Core;
using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Reporting;
using LoraPar.Pipeline.Stages.Masks;
using Snapshooter.Xunit;

namespace LoraPar.Pipeline.Tests.Stages.Masks;

public sealed class MasksStageTests
{
    private const string Partition = "seed = 3\n[lora]\nr = 2\n[partition]\ntheta = 0.8\nalpha = 0.5\nbeta = 1.0\n";

    public MasksStageTests() => TorchRuntime.EnsureInitialized();

    private static StageHarness Harness(string manifest = Partition, bool zeroScores = false) =>
        new(manifest, new SyntheticScoresStage { AllZero = zeroScores }, new MasksStage());

    [Fact]
    public void The_masks_stage_writes_masks_statistics_figures_and_active_shares()
    {
        using var h = Harness();
        h.Run();
        var dir = h.Artifact("masks");
        Assert.Equal(["importance_scatter.png", "masks.safetensors", "metrics.json", "partition.json", "stage.json", "theta_curve.png"],
            Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var statistics = PartitionReport.Read(Path.Combine(dir, PartitionReport.FileName));
        Assert.Equal((MaskStrategy.Importance, 0.8, 0.5, 1.0, 3, 432L), (statistics.Strategy, statistics.Theta, statistics.Alpha, statistics.Beta, statistics.Seed, statistics.TotalElements));
        using var masks = PartitionMasks.Load(Path.Combine(dir, PartitionMasks.FileName));
        Assert.Equal(statistics.Stages["stage1"].Count, masks.ActiveCount(TrainingStage.Stage1));
        var metrics = MetricsFile.Read(Path.Combine(dir, MetricsFile.FileName));
        Assert.Equal(statistics.Stages["stage1"].Percent, metrics["active_percent"]);
        Assert.Equal(statistics.Stages["stage2"].Percent, metrics["stage2_active_percent"]);
        Assert.Contains(h.Progress.Tasks, t => t.Description == "masks: importance" && t.Done == 3);
        Assert.Equal((byte)0x89, File.ReadAllBytes(Path.Combine(dir, PartitionArtifacts.ThetaCurveFileName))[0]);
    }

    [Fact]
    public void Partition_statistics_snapshot()
    {
        using var h = Harness();
        h.Run();
        Snapshot.Match(File.ReadAllText(Path.Combine(h.Artifact("masks"), PartitionReport.FileName)));
    }

    [Fact]
    public void Changing_alpha_reruns_masks_but_not_scores()
    {
        using var h = Harness();
        h.Run();
        Assert.Equal(["scores", "masks"], h.Ran());
        var before = PartitionReport.Read(Path.Combine(h.Artifact("masks"), PartitionReport.FileName));
        h.Edit(Partition.Replace("alpha = 0.5", "alpha = 1.0"));
        h.Run();
        Assert.Equal(["masks"], h.Ran());
        var after = PartitionReport.Read(Path.Combine(h.Artifact("masks"), PartitionReport.FileName));
        Assert.Equal(before.Overlap, after.Overlap);
        Assert.True(after.Stages["stage1"].Count > before.Stages["stage1"].Count);
        h.Edit(Partition.Replace("r = 2", "r = 3"));
        h.Run();
        Assert.Equal(["scores", "masks"], h.Ran());
    }

    [Fact]
    public void The_random_control_activates_as_many_elements_as_the_importance_partition()
    {
        using var h = Harness();
        h.Run();
        var importance = PartitionReport.Read(Path.Combine(h.Artifact("masks"), PartitionReport.FileName));
        h.Edit(Partition + "selection = \"random\"\n");
        h.Run();
        var random = PartitionReport.Read(Path.Combine(h.Artifact("masks"), PartitionReport.FileName));
        Assert.Equal(MaskStrategy.Random, random.Strategy);
        Assert.Equal(importance.Stages["stage1"].Count, random.Stages["stage1"].Count);
        Assert.Equal(importance.Stages["stage2"].Count, random.Stages["stage2"].Count);
    }

    [Fact]
    public void Full_needs_only_the_shapes_and_activates_every_element_without_figures()
    {
        using var h = Harness(Partition + "selection = \"full\"\n", zeroScores: true);
        h.Run();
        var dir = h.Artifact("masks");
        Assert.False(File.Exists(Path.Combine(dir, PartitionArtifacts.ScatterFileName)));
        using var masks = PartitionMasks.Load(Path.Combine(dir, PartitionMasks.FileName));
        Assert.Equal(432, masks.ActiveCount(TrainingStage.Stage1));
        Assert.Equal(432, masks.ActiveCount(TrainingStage.Stage2));
        var statistics = PartitionReport.Read(Path.Combine(dir, PartitionReport.FileName));
        Assert.Equal((MaskStrategy.Full, 100.0, 100.0), (statistics.Strategy, statistics.Stages["stage1"].Percent, statistics.Stages["stage2"].Percent));
        Assert.Equal(["Q", "K", "V", "G", "U", "D"], statistics.ByModule.Select(g => g.Group));
        Assert.Equal(["A", "B"], statistics.ByFactor.Select(g => g.Group));
        Assert.Equal(216, statistics.ByLayer[0].Elements);
        Assert.Equal(100, MetricsFile.Read(Path.Combine(dir, MetricsFile.FileName))["active_percent"]);
    }

    [Fact]
    public void All_zero_importance_under_the_importance_selection_is_bad_input_with_the_init_advice()
    {
        using var h = Harness(zeroScores: true);
        Assert.Contains("gaussian-both", Assert.Throws<BadInputException>(() => h.Run()).Message);
    }
}

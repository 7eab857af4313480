using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using Snapshooter.Xunit;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Partition;

public sealed class PartitionStatisticsTests
{
    public PartitionStatisticsTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Partition_json_of_seeded_synthetic_scores_matches_the_snapshot()
    {
        using var scope = NewDisposeScope();
        using var scores = SyntheticScores.Create(seed: 2026);
        using var partition = DualSystemPartition.Create(scores, new PartitionOptions(0.9, 1, 0.5));
        Snapshot.Match(PartitionReport.ToJson(PartitionStatistics.Compute(partition)));
    }

    [Fact]
    public void Breakdowns_add_up_to_the_totals()
    {
        using var scope = NewDisposeScope();
        using var scores = SyntheticScores.Create(seed: 8, layers: 3);
        using var partition = DualSystemPartition.Create(scores, new PartitionOptions(0.7, 0.3, 0.6));
        var stats = PartitionStatistics.Compute(partition);
        var c = partition.Sets.Counts;
        foreach (var groups in new[] { stats.ByModule, stats.ByFactor, stats.ByLayer })
        {
            Assert.Equal(stats.TotalElements, groups.Sum(g => g.Elements));
            Assert.Equal((c.System1, c.System2, c.Shared, c.Stage1, c.Stage2),
                         (groups.Sum(g => g.System1), groups.Sum(g => g.System2), groups.Sum(g => g.Shared),
                          groups.Sum(g => g.Stage1), groups.Sum(g => g.Stage2)));
        }
        Assert.Equal(["Q", "K", "V", "O", "G", "U", "D"], stats.ByModule.Select(g => g.Group));
        Assert.Equal(["A", "B"], stats.ByFactor.Select(g => g.Group));
        Assert.Equal(["0", "1", "2"], stats.ByLayer.Select(g => g.Group));
        Assert.Equal(c.Stage1, stats.Stages["stage1"].Count);
        Assert.Equal(c.Omega2Only, stats.Overlap.Omega2Only);
    }

    [Fact]
    public void Artifacts_are_written_and_read_back()
    {
        using var scope = NewDisposeScope();
        using var scores = SyntheticScores.Create(seed: 9);
        using var partition = DualSystemPartition.Create(scores, new PartitionOptions(0.9));
        var dir = Directory.CreateTempSubdirectory("lorapar-partition-");
        try
        {
            var (paths, stats) = PartitionArtifacts.Write(dir.FullName, partition);
            Assert.Equal(PartitionReport.ToJson(stats), PartitionReport.ToJson(PartitionReport.Read(paths.Report)));
            using var masks = PartitionMasks.Load(paths.Masks);
            Assert.Equal(stats.Stages["stage2"].Count, masks.ActiveCount(TrainingStage.Stage2));
            foreach (var png in new[] { paths.Scatter, paths.ThetaCurve })
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
            Assert.Equal(4, Directory.GetFiles(dir.FullName).Length);   // no temporary files left behind
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_malformed_report_is_bad_input_naming_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("lorapar-report-");
        try
        {
            var path = Path.Combine(dir.FullName, PartitionReport.FileName);
            File.WriteAllText(path, "{\n  \"strategy\": \"importance\",\n  \"theta\": oops\n}");
            var error = Assert.Throws<LoraPar.Core.BadInputException>(() => PartitionReport.Read(path));
            Assert.StartsWith($"{path}:3:", error.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

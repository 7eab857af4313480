namespace LoraPar.Method.Partition;

/// <summary>Paths of the files <see cref="PartitionArtifacts.Write"/> produced.</summary>
/// <param name="Masks"><c>masks.safetensors</c>: stage-1 and stage-2 bool masks per LoRA tensor.</param>
/// <param name="Report"><c>partition.json</c>: <see cref="PartitionStatistics"/>.</param>
/// <param name="Scatter"><c>importance_scatter.png</c>: Figure 4.</param>
/// <param name="ThetaCurve"><c>theta_curve.png</c>: % active vs θ.</param>
public sealed record PartitionArtifactPaths(string Masks, string Report, string Scatter, string ThetaCurve);

/// <summary>Writes everything the masks stage outputs into one folder, each file atomically.</summary>
public static class PartitionArtifacts
{
    /// <summary>The scatter plot's file name.</summary>
    public const string ScatterFileName = "importance_scatter.png";

    /// <summary>The θ-curve plot's file name.</summary>
    public const string ThetaCurveFileName = "theta_curve.png";

    /// <summary>Writes masks, statistics and both pictures of <paramref name="partition"/> into <paramref name="directory"/>.</summary>
    public static (PartitionArtifactPaths Paths, PartitionStatistics Statistics) Write(string directory, DualSystemPartition partition)
    {
        Directory.CreateDirectory(directory);
        var paths = new PartitionArtifactPaths(
            Path.Combine(directory, PartitionMasks.FileName),
            Path.Combine(directory, PartitionReport.FileName),
            Path.Combine(directory, ScatterFileName),
            Path.Combine(directory, ThetaCurveFileName));
        using (var masks = partition.ToMasks()) masks.Save(paths.Masks);
        var statistics = PartitionStatistics.Compute(partition);
        ImportanceScatterPlot.Save(paths.Scatter, partition);
        ThetaCurvePlot.Save(paths.ThetaCurve, statistics.ThetaCurve, partition.Options);
        PartitionReport.Write(paths.Report, statistics);
        return (paths, statistics);
    }
}

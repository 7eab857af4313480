using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest;
using TorchSharp;

namespace LoraPar.Pipeline.Stages.Masks;

/// <summary>
/// The masks stage's side of the estimator ablation: partitions with <c>importance.estimator</c> at the paper's per-tensor
/// counts (<see cref="EqualCountSelection"/>), and measures how many elements the second-order term moves across the θ cut —
/// |S ∖ S_first-order| per system, where S_first-order keeps the same count per tensor by |ḡφ|.
/// </summary>
public static class EstimatorMasks
{
    /// <summary>The partition under the manifest's estimator (the caller owns it) and the cut-crossing metrics.</summary>
    public static (DualSystemPartition Partition, Dictionary<string, double> Metrics) Create(
        StageContext context, ImportanceScores scores, PartitionOptions options, torch.Device device)
    {
        var estimator = context.Manifest.Importance.Estimator;
        var path = Path.Combine(context.UpstreamDirectory(StageKinds.Scores), ImportanceMoments.FileName);
        if (estimator == ImportanceEstimator.SecondOrder && !File.Exists(path))
        {
            // A scores artifact with importance only (written by another producer): the paper's partition needs nothing more.
            context.Log("masks: the scores artifact holds no importance moments; cut crossings are not measured");
            return (DualSystemPartition.Create(scores, options, device), []);
        }
        using var moments = ImportanceMoments.Load(path);
        using var chosen = estimator == ImportanceEstimator.SecondOrder ? null : moments.Scores(estimator, context.Manifest.Seed);
        var partition = DualSystemPartition.Create(scores, options, device, chosen);
        try
        {
            var metrics = Crossings(scores, moments, options, device, partition);
            context.Log($"masks: estimator {KebabCase.From(estimator.ToString())}; the second-order term moves {metrics["cut_crossings_s1"]:N0} (S1) and "
                        + $"{metrics["cut_crossings_s2"]:N0} (S2) elements across the θ cut relative to first-order |gφ|");
            return (partition, metrics);
        }
        catch
        {
            partition.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <c>cut_crossings_*</c>: |S ∖ S_first-order| (count and % of |S|) per system; <c>estimator_moved_*</c>: how many elements the
    /// chosen estimator's S holds that the paper's S does not (importance selection only; 0 for the paper's own estimator).
    /// </summary>
    private static Dictionary<string, double> Crossings(ImportanceScores scores, ImportanceMoments moments, PartitionOptions options, torch.Device device,
        DualSystemPartition chosen)
    {
        var importance = options with { Selection = MaskStrategy.Importance };
        using var firstOrder = moments.Scores(ImportanceEstimator.FirstOrder);
        using var paper = DualSystemPartition.Create(scores, importance, device);
        using var first = DualSystemPartition.Create(scores, importance, device, firstOrder);
        var metrics = new Dictionary<string, double>();
        foreach (var (key, a, b) in new[] { ("s1", paper.Sets.System1, first.Sets.System1), ("s2", paper.Sets.System2, first.Sets.System2) })
        {
            var moved = CutCrossings.Count(a, b);
            metrics[$"cut_crossings_{key}"] = moved;
            if (options.Selection == MaskStrategy.Importance)
                metrics[$"estimator_moved_{key}"] = CutCrossings.Count(key == "s1" ? chosen.Sets.System1 : chosen.Sets.System2, a);
            metrics[$"cut_crossings_{key}_percent"] = Math.Round(100.0 * moved / Math.Max(1, key == "s1" ? paper.Sets.Counts.System1 : paper.Sets.Counts.System2), 2);
        }
        return metrics;
    }
}

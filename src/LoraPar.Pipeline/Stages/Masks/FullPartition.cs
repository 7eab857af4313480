using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Method.Partition;

namespace LoraPar.Pipeline.Stages.Masks;

/// <summary>
/// Plain LoRA's "partition" (<see cref="MaskStrategy.Full"/>): every element of every LoRA tensor active in both stages. It
/// needs only the tensor shapes, not importance, so it is computed without ranking anything; its statistics have the same
/// form as a real partition's (everything in S1, S2, the shared set and both stages), with no θ-curve.
/// </summary>
public static class FullPartition
{
    /// <summary>The statistics of the all-active partition over tensors of <paramref name="shapes"/>.</summary>
    public static PartitionStatistics Statistics(IReadOnlyDictionary<string, long[]> shapes, PartitionOptions options)
    {
        var layout = new LoraLayout(shapes);
        var n = layout.TotalElements;
        var all = new CountShare(n, 100);
        return new PartitionStatistics(
            MaskStrategy.Full, options.Theta, options.Alpha, options.Beta, options.Seed, n, layout.Segments.Count,
            new Dictionary<string, CountShare> { [ReasoningSystem.System1.KeyPrefix()] = all, [ReasoningSystem.System2.KeyPrefix()] = all },
            new Dictionary<string, CountShare> { [TrainingStage.Stage1.KeyPrefix()] = all, [TrainingStage.Stage2.KeyPrefix()] = all },
            new OverlapStatistics(0, 0, n, n, 1, 0, 0, 100),
            Groups(layout, s => s.Name.Module, s => ModuleRank(s.Name.Module)),
            Groups(layout, s => s.Name.Factor.ToString(), s => (int)s.Name.Factor),
            Groups(layout, s => s.Name.Layer?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "other", s => s.Name.Layer ?? int.MaxValue),
            [],
            []);
    }

    private static List<GroupStatistics> Groups(LoraLayout layout, Func<LoraSegment, string> key, Func<LoraSegment, int> rank) =>
        layout.Segments.GroupBy(key)
            .OrderBy(g => g.Min(rank)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var elements = g.Sum(s => s.Count);
                return new GroupStatistics(g.Key, elements, elements, elements, elements, elements, elements, 100, 100);
            })
            .ToList();

    private static int ModuleRank(string module)
    {
        var index = LoraTensorName.ModuleOrder.ToList().IndexOf(module);
        return index < 0 ? int.MaxValue : index;
    }
}

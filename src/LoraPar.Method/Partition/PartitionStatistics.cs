using LoraPar.Core;
using LoraPar.Method.Importance;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>A count and its share (%) of some whole.</summary>
public sealed record CountShare(long Count, double Percent);

/// <summary>How S1 and S2 overlap; percentages are of all LoRA elements.</summary>
public sealed record OverlapStatistics(
    long Omega1Only, long Omega2Only, long Shared, long Union, double Jaccard,
    double Omega1OnlyPercent, double Omega2OnlyPercent, double SharedPercent);

/// <summary>Counts within one group of LoRA tensors (a module, a factor or a layer); percentages are of the group's elements.</summary>
public sealed record GroupStatistics(
    string Group, long Elements, long System1, long System2, long Shared, long Stage1, long Stage2,
    double Stage1Percent, double Stage2Percent);

/// <summary>
/// What <c>partition.json</c> records about a partition: the options, per-system and per-stage counts, the overlap, the
/// breakdowns by module (Q K V O G U D), factor (A/B) and layer, the θ-curve and the warnings. Ratios are rounded to
/// 4 decimals (percentages) or 6 (Jaccard) so the file is identical on any x86-64 CPU.
/// </summary>
public sealed record PartitionStatistics(
    MaskStrategy Strategy, double Theta, double Alpha, double Beta, int Seed, long TotalElements, int LoraTensors,
    IReadOnlyDictionary<string, CountShare> Systems, IReadOnlyDictionary<string, CountShare> Stages, OverlapStatistics Overlap,
    IReadOnlyList<GroupStatistics> ByModule, IReadOnlyList<GroupStatistics> ByFactor, IReadOnlyList<GroupStatistics> ByLayer,
    IReadOnlyList<ThetaPoint> ThetaCurve, IReadOnlyList<string> Warnings)
{
    /// <summary>The statistics of <paramref name="partition"/>, with its θ-curve.</summary>
    public static PartitionStatistics Compute(DualSystemPartition partition)
    {
        var (o, c, n) = (partition.Options, partition.Sets.Counts, partition.Layout.TotalElements);
        var segments = SegmentCounts(partition);
        var curve = partition.ThetaCurve.Select(p => new ThetaPoint(p.Theta, Round(p.System1Percent), Round(p.System2Percent), Round(p.SharedPercent),
                                        Round(p.Stage1Percent), Round(p.Stage2Percent)))
            .ToList();
        return new PartitionStatistics(
            o.Selection, o.Theta, o.Alpha, o.Beta, o.Seed, n, partition.Layout.Segments.Count,
            new Dictionary<string, CountShare>
            {
                [ReasoningSystem.System1.KeyPrefix()] = Share(c.System1, n),
                [ReasoningSystem.System2.KeyPrefix()] = Share(c.System2, n),
            },
            new Dictionary<string, CountShare>
            {
                [TrainingStage.Stage1.KeyPrefix()] = Share(c.Stage1, n),
                [TrainingStage.Stage2.KeyPrefix()] = Share(c.Stage2, n),
            },
            new OverlapStatistics(c.Omega1Only, c.Omega2Only, c.Shared, c.Union, Math.Round(c.Jaccard, 6),
                                  Percent(c.Omega1Only, n), Percent(c.Omega2Only, n), Percent(c.Shared, n)),
            Group(segments, s => s.Name.Module, ModuleKey),
            Group(segments, s => s.Name.Factor.ToString(), g => (g == "A" ? 0 : 1, g)),
            Group(segments, s => s.Name.Layer?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "other",
                  g => (int.TryParse(g, out var i) ? i : int.MaxValue, g)),
            curve,
            partition.Warnings);
    }

    private sealed record SegmentCount(LoraSegment Segment, long S1, long S2, long Shared, long Stage1, long Stage2)
    {
        public LoraTensorName Name => Segment.Name;
    }

    private static List<SegmentCount> SegmentCounts(DualSystemPartition partition)
    {
        var sets = partition.Sets;
        var result = new List<SegmentCount>();
        foreach (var segment in partition.Layout.Segments)
        {
            using var scope = NewDisposeScope();
            Tensor Slice(Tensor flat) => flat.narrow(0, segment.Offset, segment.Count);   // (count,)
            long Sum(Tensor mask) => mask.sum().item<long>();
            var (s1, s2) = (Slice(sets.System1), Slice(sets.System2));
            result.Add(new SegmentCount(segment, Sum(s1), Sum(s2), Sum(s1.logical_and(s2)),
                                        Sum(Slice(sets.Stage1)), Sum(Slice(sets.Stage2))));
        }
        return result;
    }

    private static List<GroupStatistics> Group(
        List<SegmentCount> segments, Func<SegmentCount, string> key, Func<string, (int, string)> order) =>
        segments.GroupBy(key)
            .OrderBy(g => order(g.Key).Item1).ThenBy(g => order(g.Key).Item2, StringComparer.Ordinal)
            .Select(g =>
            {
                var elements = g.Sum(s => s.Segment.Count);
                var (stage1, stage2) = (g.Sum(s => s.Stage1), g.Sum(s => s.Stage2));
                return new GroupStatistics(g.Key, elements, g.Sum(s => s.S1), g.Sum(s => s.S2), g.Sum(s => s.Shared),
                                           stage1, stage2, Percent(stage1, elements), Percent(stage2, elements));
            })
            .ToList();

    private static (int, string) ModuleKey(string module)
    {
        var i = LoraTensorName.ModuleOrder.ToList().IndexOf(module);
        return (i < 0 ? int.MaxValue : i, module);
    }

    private static CountShare Share(long count, long total) => new(count, Percent(count, total));

    private static double Percent(long count, long total) => total == 0 ? 0 : Round(100.0 * count / total);

    private static double Round(double value) => Math.Round(value, 4);
}

namespace LoraPar.Evaluation.Metrics;

/// <summary>One graded item: its group (e.g. an MMLU subject) and whether it was right.</summary>
public readonly record struct GradedItem(string Group, bool Correct);

/// <summary>Accuracy of one group.</summary>
public sealed record GroupAccuracy(string Group, int Correct, int Total)
{
    /// <summary>Correct / total (0 for an empty group).</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}

/// <summary>Micro accuracy (every item weighs the same), macro accuracy (every group weighs the same) and the groups.</summary>
public sealed record AccuracyAggregate(Proportion Micro, double Macro, IReadOnlyList<GroupAccuracy> Groups)
{
    /// <summary>Aggregates graded items; groups are listed in ordinal order of their names.</summary>
    public static AccuracyAggregate Of(IEnumerable<GradedItem> items)
    {
        var groups = items
            .GroupBy(i => i.Group, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new GroupAccuracy(g.Key, g.Count(i => i.Correct), g.Count()))
            .ToList();
        var correct = groups.Sum(g => g.Correct);
        var total = groups.Sum(g => g.Total);
        var macro = groups.Count == 0 ? 0 : groups.Average(g => g.Accuracy);
        return new AccuracyAggregate(WilsonInterval.Of(correct, total), macro, groups);
    }
}

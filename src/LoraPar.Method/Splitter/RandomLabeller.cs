using LoraPar.Core;

namespace LoraPar.Method.Splitter;

/// <summary>
/// Table 1's "Random partition" control: exactly round(f·N) questions get System 2, chosen by a seeded hash of each id,
/// so the partition does not depend on the order of the questions or on anything a teacher says.
/// </summary>
public static class RandomLabeller
{
    /// <summary>Labels <paramref name="ids"/> at random: <paramref name="system2Fraction"/> of them System 2 (pure).</summary>
    public static IReadOnlyList<ItemLabel> Label(IReadOnlyList<string> ids, long seed, double system2Fraction)
    {
        if (!(system2Fraction is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(system2Fraction), system2Fraction, "the fraction must be within [0, 1]");
        var system2Count = (int)Math.Round(system2Fraction * ids.Count, MidpointRounding.AwayFromZero);
        var system2 = ids
            .OrderBy(id => StableHash.Uniform(seed, "random-label\u001f" + id))
            .ThenBy(id => id, StringComparer.Ordinal)
            .Take(system2Count)
            .ToHashSet(StringComparer.Ordinal);
        return ids.Select(id => new ItemLabel(
            id, system2.Contains(id) ? ReasoningSystem.System2 : ReasoningSystem.System1, LabelDecision.Random, 0, 0, [])).ToList();
    }
}

using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>
/// <c>[data.synthetic_ranges]</c>: how large the numbers of the built-in dual-system task get — the upper ends of the
/// operand ranges and the largest answer or intermediate result. Defaults are the generator's own.
/// </summary>
public sealed record SyntheticRanges
{
    /// <summary>Largest amount added or taken away in a System-2 step.</summary>
    public int AddendMax { get; init; } = 9;

    /// <summary>Largest multiplier (the smallest is 2).</summary>
    public int FactorMax { get; init; } = 4;

    /// <summary>Largest operand of a System-1 fact, lookup count or System-2 starting amount (the smallest is 2).</summary>
    public int CountMax { get; init; } = 20;

    /// <summary>Largest number of a System-1 comparison (the smallest is 10).</summary>
    public int ComparedMax { get; init; } = 99;

    /// <summary>The largest value any answer or intermediate result may take.</summary>
    public int MaxValue { get; init; } = 99;

    internal static SyntheticRanges Read(SectionReader r)
    {
        var d = new SyntheticRanges();
        var s = new SyntheticRanges
        {
            AddendMax = r.Int("addend_max", d.AddendMax, NumberRange.AtLeast(1)),
            FactorMax = r.Int("factor_max", d.FactorMax, NumberRange.AtLeast(2)),
            CountMax = r.Int("count_max", d.CountMax, NumberRange.AtLeast(3)),
            ComparedMax = r.Int("compared_max", d.ComparedMax, NumberRange.AtLeast(11)),
            MaxValue = r.Int("max_value", d.MaxValue, NumberRange.AtLeast(1)),
        };
        if (s.MaxValue < s.CountMax + s.AddendMax)
            r.Error("max_value", $"{s.MaxValue} is below count_max + addend_max ({s.CountMax + s.AddendMax}); raise max_value or lower those");
        if (s.MaxValue < s.ComparedMax)
            r.Error("max_value", $"{s.MaxValue} is below compared_max ({s.ComparedMax}); raise max_value or lower compared_max");
        r.Finish();
        return s;
    }
}

using System.Globalization;

namespace LoraPar.Pipeline.Manifest;

/// <summary>An interval a numeric manifest value must lie in, with open or closed ends.</summary>
public readonly record struct NumberRange(double Min, double Max, bool MinOpen = false, bool MaxOpen = false)
{
    /// <summary>[0, 1].</summary>
    public static NumberRange Unit { get; } = new(0, 1);

    /// <summary>(0, 1].</summary>
    public static NumberRange UnitOpenBelow { get; } = new(0, 1, MinOpen: true);

    /// <summary>[0, 1).</summary>
    public static NumberRange UnitOpenAbove { get; } = new(0, 1, MaxOpen: true);

    /// <summary>(0, ∞).</summary>
    public static NumberRange Positive { get; } = new(0, double.PositiveInfinity, MinOpen: true);

    /// <summary>[0, ∞).</summary>
    public static NumberRange NonNegative { get; } = new(0, double.PositiveInfinity);

    /// <summary>[min, ∞).</summary>
    public static NumberRange AtLeast(double min) => new(min, double.PositiveInfinity);

    /// <summary>Whether <paramref name="value"/> lies in the interval (NaN never does).</summary>
    public bool Contains(double value) =>
        !double.IsNaN(value)
        && (MinOpen ? value > Min : value >= Min)
        && (MaxOpen ? value < Max : value <= Max);

    /// <inheritdoc />
    public override string ToString() =>
        $"{(MinOpen ? "(" : "[")}{Format(Min)}, {Format(Max)}{(MaxOpen || double.IsInfinity(Max) ? ")" : "]")}";

    private static string Format(double v) => double.IsPositiveInfinity(v) ? "∞" : v.ToString("R", CultureInfo.InvariantCulture);
}

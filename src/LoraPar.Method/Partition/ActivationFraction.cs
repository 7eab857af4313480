namespace LoraPar.Method.Partition;

/// <summary>⌊f · n⌋ for an activation fraction f (α or β) of n shared elements.</summary>
public static class ActivationFraction
{
    /// <summary>
    /// ⌊f · n⌋, where f given in decimal counts exactly: 0.29 · 100 is 29 although the double product is 28.999…96.
    /// The relative slack (1e-12) is far below the distance of any other product to an integer for n below 10¹⁰.
    /// </summary>
    public static long Floor(double fraction, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (fraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in [0, 1]");
        var product = fraction * count;
        return Math.Min(count, (long)Math.Floor(product + product * 1e-12));
    }
}

using System.Globalization;

namespace LoraPar.Evaluation.Gsm8k;

/// <summary>Compares answers as numbers: <c>72</c>, <c>72.0</c> and <c>$72.</c> are equal; a missing prediction is never right.</summary>
public static class NumericAnswer
{
    /// <summary>Whether <paramref name="predicted"/> and <paramref name="gold"/> (raw or normalised) denote the same number.</summary>
    public static bool Equal(string? predicted, string gold)
    {
        if (predicted is null) return false;
        var a = AnswerExtractor.Normalize(predicted);
        var b = AnswerExtractor.Normalize(gold);
        if (a is null || b is null) return false;
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
        return decimal.TryParse(a, style, CultureInfo.InvariantCulture, out var x)
               && decimal.TryParse(b, style, CultureInfo.InvariantCulture, out var y)
            ? x == y
            : a == b;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using LoraPar.Core;

namespace LoraPar.Pipeline.Planning;

/// <summary>Memory sizes as people write them: <c>80GiB</c>, <c>141GB</c>, <c>512MiB</c>, <c>24G</c> (G = GiB).</summary>
public static partial class ByteSize
{
    /// <summary>Bytes of <paramref name="text"/>; <paramref name="what"/> names it in the error.</summary>
    public static double Parse(string text, string what)
    {
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
            throw new BadInputException($"{what}: '{text}' is not a size; write e.g. 80GiB, 141GB or 512MiB");
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups[2].Value.ToLowerInvariant();
        var scale = unit switch
        {
            "" or "b" => 1.0,
            "k" or "kib" => 1 << 10, "kb" => 1e3,
            "m" or "mib" => 1 << 20, "mb" => 1e6,
            "g" or "gib" => 1 << 30, "gb" => 1e9,
            "t" or "tib" => 1L << 40, "tb" => 1e12,
            _ => throw new BadInputException($"{what}: unknown unit '{match.Groups[2].Value}'"),
        };
        if (!(value > 0)) throw new BadInputException($"{what}: '{text}' must be positive");
        return value * scale;
    }

    /// <summary>Bytes as GiB (one decimal) or MiB.</summary>
    public static string Format(double bytes) => bytes >= 1L << 30
        ? (bytes / (1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$")]
    private static partial Regex Pattern();
}

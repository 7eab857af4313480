using System.Globalization;
using System.Text.RegularExpressions;

namespace LoraPar.Evaluation.Gsm8k;

/// <summary>Which answer to read from a model's text.</summary>
public enum ExtractionMode
{
    /// <summary>Only a marked final answer: <c>#### N</c> (GSM8K's format) or <c>&lt;answer&gt;N&lt;/answer&gt;</c> (the RL format), whichever comes first.</summary>
    Strict,

    /// <summary>The last number anywhere in the text.</summary>
    Flexible,
}

/// <summary>
/// Reads a numeric final answer from a model's text and normalises it: thousands separators, <c>$</c> and a trailing
/// <c>.</c> are dropped, trailing fractional zeros removed (<c>1,000.50</c> → <c>1000.5</c>), negatives and decimals kept.
/// A number is read whole, digits joined by commas included, and both extractions read it the same way: a minus is its
/// sign only when it touches the digits or the <c>$</c> (<c>-5</c>, <c>-$5</c>; not the bullet of <c>- 12 apples</c> or
/// the operator of <c>10 - 5</c>), and commas must separate thousands (<c>1,0000</c> and <c>1,2</c> are no number).
/// </summary>
public static partial class AnswerExtractor
{
    /// <summary>Digits, possibly joined by commas, with a fraction: a number as written, its commas checked by <see cref="Normalize"/>.</summary>
    private const string Digits = @"(?:\d+(?:,\d+)*(?:\.\d+)?|\.\d+)";

    private const string Number = @"-?(?:\$\s?)?" + Digits;

    /// <summary>The normalised answer of <paramref name="text"/> under <paramref name="mode"/>, or null when there is none.</summary>
    public static string? Extract(string text, ExtractionMode mode) => mode switch
    {
        ExtractionMode.Strict => Strict(text),
        ExtractionMode.Flexible => Flexible(text),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown extraction mode"),
    };

    /// <summary>
    /// The canonical form of a number written as text (<c>" $1,234.50. "</c> → <c>1234.5</c>, <c>-0.0</c> → <c>0</c>),
    /// or null when the text is not one number: a sign touching the digits or the <c>$</c>, commas only between thousands.
    /// </summary>
    public static string? Normalize(string raw)
    {
        var number = WrittenNumber().Match(raw.Trim());
        if (!number.Success) return null;
        var cleaned = number.Groups["sign"].Value + number.Groups["digits"].Value.Replace(",", "");
        if (!decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return CanonicalText(cleaned);
        return value == 0m ? "0" : value.ToString("0.############################", CultureInfo.InvariantCulture);
    }

    private static string? Strict(string text)
    {
        var hash = HashAnswer().Match(text);
        var tag = TagAnswer().Match(text);
        var first = (hash.Success, tag.Success) switch
        {
            (true, true) => hash.Index <= tag.Index ? hash : tag,
            (true, false) => hash,
            (false, true) => tag,
            _ => null,
        };
        return first is null ? null : Normalize(first.Groups["n"].Value);
    }

    private static string? Flexible(string text)
    {
        var matches = AnyNumber().Matches(text);
        return matches.Count == 0 ? null : Normalize(matches[^1].Value);
    }

    /// <summary>Textual canonical form for numbers beyond <see cref="decimal"/>'s range: no leading zeros, no trailing fractional zeros.</summary>
    private static string CanonicalText(string cleaned)
    {
        var negative = cleaned.StartsWith('-');
        var body = negative ? cleaned[1..] : cleaned;
        var parts = body.Split('.');
        var integer = parts[0].TrimStart('0');
        var fraction = parts.Length > 1 ? parts[1].TrimEnd('0') : "";
        var canonical = (integer.Length == 0 ? "0" : integer) + (fraction.Length > 0 ? "." + fraction : "");
        return negative && canonical != "0" ? "-" + canonical : canonical;
    }

    [GeneratedRegex(@"^(?<sign>-)?(?:\$\s?)?(?<digits>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)\.?$")]
    private static partial Regex WrittenNumber();

    [GeneratedRegex(@"####\s*(?<n>" + Number + ")")]
    private static partial Regex HashAnswer();

    [GeneratedRegex(@"<answer>\s*(?<n>" + Number + @")\s*\.?\s*</answer>")]
    private static partial Regex TagAnswer();

    [GeneratedRegex(@"(?<![\d.])(?:" + Number + ")")]
    private static partial Regex AnyNumber();
}

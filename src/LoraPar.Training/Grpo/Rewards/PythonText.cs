using System.Globalization;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>The Python <c>str</c> operations the authors' reward functions use, with Python's semantics.</summary>
public static class PythonText
{
    /// <summary>Python's <c>str.isspace</c> for one UTF-16 unit: .NET's white space plus the separators U+001C–U+001F.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    /// <summary><c>str.strip()</c>: white space removed at both ends.</summary>
    public static string Strip(string text)
    {
        var (start, end) = (0, text.Length);
        while (start < end && IsSpace(text[start])) start++;
        while (end > start && IsSpace(text[end - 1])) end--;
        return text[start..end];
    }

    /// <summary><c>str.isdigit()</c>: non-empty and every code point of Unicode numeric type Digit or Decimal (so "²" counts, "-1" and "½" do not).</summary>
    public static bool IsDigit(string text)
    {
        if (text.Length == 0) return false;
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
            if (CharUnicodeInfo.GetDigitValue(text, i) < 0) return false;
        return true;
    }

    /// <summary><c>len(s)</c>: code points, not UTF-16 units.</summary>
    public static int Length(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    /// <summary>
    /// <c>s.split(marker)[-1]</c>: the text after the last of the non-overlapping occurrences found left to right (so in
    /// <c>"\n&lt;/answer&gt;\n&lt;/answer&gt;\n"</c> the marker <c>"\n&lt;/answer&gt;\n"</c> occurs once), or all of it when there is none.
    /// </summary>
    public static ReadOnlySpan<char> LastPiece(string text, string marker)
    {
        var end = 0;
        for (var at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, end, StringComparison.Ordinal))
            end = at + marker.Length;
        return text.AsSpan(end);
    }

    /// <summary><c>s.count(marker)</c>: non-overlapping occurrences, found left to right.</summary>
    public static int Count(string text, string marker)
    {
        var count = 0;
        for (var at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    /// <summary><c>s.split(marker)[0]</c>: the text before the first <paramref name="marker"/>, or all of it when there is none.</summary>
    public static string FirstPiece(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? text : text[..at];
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace LoraPar.Synthetic;

/// <summary>The GSM8K answer convention used by the synthetic task: the last line is <c>#### N</c>.</summary>
public static partial class Gsm8kAnswer
{
    /// <summary>Matches the final line <c>#### N</c> (an optionally negative integer) at the end of an answer.</summary>
    [GeneratedRegex(@"(?:\A|\n)#### (-?\d+)\z", RegexOptions.CultureInvariant)]
    public static partial Regex FinalLinePattern();

    /// <summary>The final line for <paramref name="value"/>.</summary>
    public static string FinalLine(int value) => "#### " + value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The number on the <c>#### N</c> line, or null when the answer does not end with one.</summary>
    public static int? TryParseFinal(string answer)
    {
        var match = FinalLinePattern().Match(answer);
        if (!match.Success) return null;
        return int.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
    }
}

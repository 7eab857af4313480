using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LoraPar.Pipeline.Reporting;

/// <summary>Renders a GitHub-flavoured Markdown table with aligned columns (numbers and percentages right-aligned).</summary>
public static partial class MarkdownTable
{
    /// <summary>The table text: header row, alignment row, one row per entry. Cells with '|' are escaped.</summary>
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var data = rows.Select(r => r.Select(Escape).ToList()).ToList();
        var widths = headers.Select((h, i) => Math.Max(3, data.Select(r => i < r.Count ? r[i].Length : 0).Append(h.Length).Max())).ToList();
        var numeric = headers.Select((_, i) => data.Count > 0 && data.All(r => i >= r.Count || IsNumeric(r[i]))).ToList();
        var text = new StringBuilder();
        Row(text, headers.Select(Escape).ToList(), widths, numeric);
        text.Append('|');
        for (var i = 0; i < headers.Count; i++) text.Append(' ').Append(new string('-', widths[i] - 1)).Append(numeric[i] ? ':' : '-').Append(" |");
        text.Append('\n');
        foreach (var row in data) Row(text, row, widths, numeric);
        return text.ToString();
    }

    /// <summary>A number with <paramref name="decimals"/> decimals (invariant culture), or "—" for null.</summary>
    public static string Number(double? value, int decimals = 2) =>
        value is { } v ? v.ToString("F" + decimals, CultureInfo.InvariantCulture) : "—";

    /// <summary>A signed difference, e.g. "+1.25" / "−0.40", or "—".</summary>
    public static string Delta(double? ours, double? theirs, int decimals = 2)
    {
        if (ours is not { } a || theirs is not { } b) return "—";
        var d = Math.Round(a - b, decimals);
        var magnitude = Math.Abs(d).ToString("F" + decimals, CultureInfo.InvariantCulture);
        return d > 0 ? "+" + magnitude : d < 0 ? "−" + magnitude : magnitude;
    }

    private static void Row(StringBuilder text, IReadOnlyList<string> cells, IReadOnlyList<int> widths, IReadOnlyList<bool> numeric)
    {
        text.Append('|');
        for (var i = 0; i < widths.Count; i++)
        {
            var cell = i < cells.Count ? cells[i] : "";
            text.Append(' ').Append(numeric[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i])).Append(" |");
        }
        text.Append('\n');
    }

    /// <summary>
    /// Whether a cell reads as one number: "—", a signed decimal or exponent form, optionally with thousands grouped by commas
    /// in threes ("25,490", "−1,234.5") and a trailing '%'. A comma anywhere else ("1,2", "0.3,0.4", "s1,s2") makes it text:
    /// .NET's AllowThousands would read "1,2" as 12.
    /// </summary>
    internal static bool IsNumeric(string cell) => cell is "—" or "-" || NumericCell().IsMatch(cell);

    [GeneratedRegex(@"^[+\-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][+\-]?\d+)?%?$|^[+\-−]?\.\d+([eE][+\-]?\d+)?%?$")]
    private static partial Regex NumericCell();

    private static string Escape(string cell) => cell.Replace("|", "\\|").Replace("\n", " ");
}

using System.Globalization;

namespace LoraPar.Pipeline.Progress;

/// <summary>
/// The live display's text at a given width (pure). Each running bar takes up to three lines: its label (the run's name in a
/// sweep, then the stage); the bar with the percentage, counts, rate, ETA and elapsed time, each labelled (the last ones
/// dropped when they do not fit); then its status, trimmed with "…" to the width.
/// Finished bars fold into one line at the top (<c>✓ 7 done in 5m12s: … sft (stage 1) 48s · eval 1m03s</c>), newest kept.
/// No line is wider than the width, and a status keeps every character that fits.
/// </summary>
public static class ProgressBoard
{
    /// <summary>The narrowest width laid out; narrower consoles get lines of this width (the terminal wraps them).</summary>
    public const int MinWidth = 40;

    /// <summary>The mark that starts the line of finished bars.</summary>
    public const string DoneMark = "✓";

    private const string Ellipsis = "…";
    private const string Separator = " · ";

    /// <summary>The lines for <paramref name="bars"/> (in start order) at <paramref name="width"/> columns.</summary>
    public static IReadOnlyList<string> Lines(IReadOnlyList<BarSnapshot> bars, int width)
    {
        width = Math.Max(width, MinWidth);
        var lines = new List<string>();
        var finished = bars.Where(b => b.Finished).ToList();
        if (finished.Count > 0) lines.Add(Folded(finished, width));
        foreach (var bar in bars.Where(b => !b.Finished))
        {
            lines.Add(Trim(bar.Label, width));
            lines.Add(Joined([Track(bar, Math.Clamp(width / 4, 10, 30)), .. Figures(bar)], width));
            if (bar.Status.Length > 0) lines.Add(Trim("  " + bar.Status, width));
        }
        return lines;
    }

    /// <summary>"━━━━━━╸──────  40%": a bar of <paramref name="barWidth"/> cells and the percentage done.</summary>
    private static string Track(BarSnapshot bar, int barWidth)
    {
        var fraction = bar.Total <= 0 ? 0 : Math.Clamp((double)bar.Done / bar.Total, 0, 1);
        var filled = (int)Math.Floor(fraction * barWidth);
        var track = new string('━', filled) + (filled < barWidth ? "╸" + new string('─', barWidth - filled - 1) : "");
        return track + string.Create(CultureInfo.InvariantCulture, $" {Math.Floor(100 * fraction),3:0}%");
    }

    /// <summary>Counts, rate, ETA and elapsed time, each named: "4/10 steps", "11.2 s/step", "ETA 00:01:07", "elapsed 00:00:45".</summary>
    private static IReadOnlyList<string> Figures(BarSnapshot bar) =>
    [
        string.Create(CultureInfo.InvariantCulture, $"{bar.Done:N0}/{bar.Total:N0} {bar.Unit}"),
        Rate(bar),
        "ETA " + (bar.Eta is { } eta ? Clock(eta) : "--:--:--"),
        "elapsed " + Clock(bar.Elapsed),
    ];

    /// <summary>"12.3 steps/s" at a unit a second or more, "11.2 s/step" below (the GRPO and pretraining case), "— steps/s" before any.</summary>
    private static string Rate(BarSnapshot bar)
    {
        if (bar.Rate is not { } rate) return $"— {bar.Unit}/s";
        if (rate >= 1) return string.Create(CultureInfo.InvariantCulture, $"{rate:0.0} {bar.Unit}/s");
        var singular = bar.Unit.EndsWith('s') ? bar.Unit[..^1] : bar.Unit;
        return string.Create(CultureInfo.InvariantCulture, $"{1 / rate:0.0} s/{singular}");
    }

    /// <summary>"✓ n done in T: a 1s · b 2s", dropping the oldest items (behind "…") until it fits.</summary>
    private static string Folded(IReadOnlyList<BarSnapshot> finished, int width)
    {
        var total = TimeSpan.FromTicks(finished.Sum(b => b.Elapsed.Ticks));
        var head = $"{DoneMark} {finished.Count} done in {Short(total)}: ";
        var items = finished.Select(b => $"{b.Label} {Short(b.Elapsed)}").ToList();
        for (var skip = 0; skip < items.Count; skip++)
        {
            var line = head + (skip > 0 ? Ellipsis + " " : "") + string.Join(Separator, items.Skip(skip));
            if (line.Length <= width) return line;
        }
        return Trim(head + Ellipsis + " " + items[^1], width);
    }

    /// <summary>The parts joined and indented, dropping trailing parts that do not fit; the first part alone is trimmed.</summary>
    private static string Joined(IReadOnlyList<string> parts, int width)
    {
        for (var keep = parts.Count; keep > 1; keep--)
        {
            var line = "  " + string.Join(Separator, parts.Take(keep));
            if (line.Length <= width) return line;
        }
        return Trim("  " + parts[0], width);
    }

    /// <summary>The text cut to <paramref name="width"/> characters, its last one "…" when cut.</summary>
    public static string Trim(string text, int width) =>
        text.Length <= width ? text : width <= 1 ? Ellipsis[..width] : text[..(width - 1)].TrimEnd() + Ellipsis;

    private static string Clock(TimeSpan t) =>
        t >= TimeSpan.FromDays(1) ? "> 1 day" : t.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);

    /// <summary>"0.4s", "48s", "4m12s", "1h02m".</summary>
    public static string Short(TimeSpan t) => t.TotalSeconds switch
    {
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0}s"),
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0}s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}m{t.Seconds:00}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:00}m"),
    };
}

using ScottPlot;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// Line styles for up to <see cref="Capacity"/> runs in one figure (Table 3's sixty): Tableau's 20 colours (its ten strong
/// ones first, then their light partners) crossed with three line patterns, so no two of the first sixty lines look alike.
/// Past sixty the styles repeat.
/// </summary>
public static class FigurePalette
{
    /// <summary>Tableau 20 (Tableau Software's categorical palette, as matplotlib's <c>tab20</c> lists it), strong colours first.</summary>
    public static IReadOnlyList<string> Colors { get; } =
    [
        "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF",
        "#AEC7E8", "#FFBB78", "#98DF8A", "#FF9896", "#C5B0D5", "#C49C94", "#F7B6D2", "#C7C7C7", "#DBDB8D", "#9EDAE5",
    ];

    private static readonly LinePattern[] Patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted];

    /// <summary>How many lines get a style of their own.</summary>
    public static int Capacity => Colors.Count * Patterns.Length;

    /// <summary>The colour (hex) and line pattern of line <paramref name="index"/>: colours cycle first, then patterns.</summary>
    public static (string Color, LinePattern Pattern) Style(int index)
    {
        var i = index % Capacity;
        return (Colors[i % Colors.Count], Patterns[i / Colors.Count]);
    }
}

using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary><c>[report]</c>: the report and the paper comparison.</summary>
public sealed record ReportSection
{
    /// <summary>Report title (cosmetic: never part of a stage key).</summary>
    public string Title { get; init; } = "";

    /// <summary>Baseline file compared against (e.g. baselines/paper.toml); null = none.</summary>
    public ManifestPath? Baseline { get; init; }

    /// <summary>Tables of the baseline file this manifest reproduces (e.g. ["table2"]); empty = all.</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];

    /// <summary>Whether figures are drawn beside report.md.</summary>
    public bool Figures { get; init; } = true;

    internal static ReportSection Read(SectionReader r)
    {
        var d = new ReportSection();
        var section = new ReportSection
        {
            Title = r.String("title", d.Title),
            Baseline = r.Path("baseline", PathKind.File, mustExist: true),
            Tables = r.StringList("tables", d.Tables),
            Figures = r.Bool("figures", d.Figures),
        };
        r.Finish();
        return section;
    }
}

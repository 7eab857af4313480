using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>How the active LoRA elements are chosen.</summary>
public enum MaskSelection
{
    /// <summary>Algorithm 1: θ-prefix of each system's L2-normalised importance, split with α / β.</summary>
    Importance,

    /// <summary>A random subset of the same size as the importance masks (Table 3 "Rand.").</summary>
    Random,

    /// <summary>Every element active (plain LoRA / OLoRA / PiSSA baselines).</summary>
    Full,
}

/// <summary><c>[partition]</c>: θ, α, β of Algorithm 1 (authors' main setting: θ 0.9, α = β = 1).</summary>
public sealed record PartitionSection
{
    /// <summary>θ ∈ (0, 1]: cumulative-importance cut-point per system.</summary>
    public double Theta { get; init; } = 0.9;

    /// <summary>α ∈ [0, 1]: fraction of shared elements active in stage 1, ranked by s1.</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>β ∈ [0, 1]: fraction of shared elements active in stage 2, ranked by s2.</summary>
    public double Beta { get; init; } = 1.0;

    /// <summary>How elements are chosen.</summary>
    public MaskSelection Selection { get; init; } = MaskSelection.Importance;

    internal static PartitionSection Read(SectionReader r)
    {
        var d = new PartitionSection();
        var section = new PartitionSection
        {
            Theta = r.Double("theta", d.Theta, NumberRange.UnitOpenBelow),
            Alpha = r.Double("alpha", d.Alpha, NumberRange.Unit),
            Beta = r.Double("beta", d.Beta, NumberRange.Unit),
            Selection = r.Enum("selection", d.Selection),
        };
        r.Finish();
        return section;
    }
}

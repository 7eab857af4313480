using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>
/// <c>[importance]</c>: per-element importance I(φ) = |ḡφ − ½F̂φ²| (paper eq. 1–3), from per-example gradients of the answer-only
/// loss. Authors' settings: N = 100 examples per system, batch 1, LoRA dropout 0 while scoring; the factors are scored at the
/// values <c>lora.init</c> gives them (both Gaussian, σ 0.01), which training then starts from.
/// </summary>
public sealed record ImportanceSection
{
    /// <summary>N: examples per system.</summary>
    public int SamplesPerSystem { get; init; } = 100;

    /// <summary>Examples per backward pass (per-example gradients are kept either way).</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>LoRA dropout while scoring.</summary>
    public double Dropout { get; init; }

    /// <summary>Maximum tokens per example while scoring.</summary>
    public int MaxLength { get; init; } = 512;

    internal static ImportanceSection Read(SectionReader r)
    {
        var d = new ImportanceSection();
        var section = new ImportanceSection
        {
            SamplesPerSystem = r.Int("samples_per_system", d.SamplesPerSystem, NumberRange.AtLeast(1)),
            BatchSize = r.Int("batch_size", d.BatchSize, NumberRange.AtLeast(1)),
            Dropout = r.Double("dropout", d.Dropout, NumberRange.UnitOpenAbove),
            MaxLength = r.Int("max_length", d.MaxLength, NumberRange.AtLeast(8)),
        };
        r.Finish();
        return section;
    }
}

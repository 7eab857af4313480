using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>Which projections carry LoRA (paper Table 3): attention Q/K/V, MLP Gate/Up/Down, or both.</summary>
public enum LoraTargets
{
    /// <summary>q_proj, k_proj, v_proj.</summary>
    Qkv,

    /// <summary>gate_proj, up_proj, down_proj.</summary>
    Gud,

    /// <summary>All six (the paper's main setting).</summary>
    Qkvgud,
}

/// <summary>How LoRA factors start.</summary>
public enum LoraInit
{
    /// <summary>Both A and B drawn from N(0, σ) (the authors' choice, so that ∂L/∂A ≠ 0 for importance scoring).</summary>
    GaussianBoth,

    /// <summary>PEFT's default: A Kaiming-uniform, B = 0.</summary>
    Kaiming,

    /// <summary>PiSSA: principal singular vectors of the base weight.</summary>
    Pissa,

    /// <summary>OLoRA: QR-based orthonormal init.</summary>
    Olora,
}

/// <summary><c>[lora]</c>: the adapter (authors' defaults: r 8, alpha 64, dropout 0.05, QKVGUD, both factors N(0, 0.01)).</summary>
public sealed record LoraSection
{
    /// <summary>Rank r.</summary>
    public int Rank { get; init; } = 8;

    /// <summary>lora_alpha (scaling alpha / r).</summary>
    public double Alpha { get; init; } = 64;

    /// <summary>Dropout on the LoRA input during training.</summary>
    public double Dropout { get; init; } = 0.05;

    /// <summary>Which projections carry LoRA.</summary>
    public LoraTargets Targets { get; init; } = LoraTargets.Qkvgud;

    /// <summary>Factor initialisation.</summary>
    public LoraInit Init { get; init; } = LoraInit.GaussianBoth;

    /// <summary>σ of the Gaussian init.</summary>
    public double InitStd { get; init; } = 0.01;

    internal static LoraSection Read(SectionReader r)
    {
        var d = new LoraSection();
        var section = new LoraSection
        {
            Rank = r.Int("rank", d.Rank, NumberRange.AtLeast(1)),
            Alpha = r.Double("alpha", d.Alpha, NumberRange.Positive),
            Dropout = r.Double("dropout", d.Dropout, NumberRange.UnitOpenAbove),
            Targets = r.Enum("targets", d.Targets),
            Init = r.Enum("init", d.Init),
            InitStd = r.Double("init_std", d.InitStd, NumberRange.Positive),
        };
        r.Finish();
        return section;
    }
}

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>The training recipe (paper §3.4 and the Table 4 baselines); which masks it uses comes from <c>partition.selection</c>.</summary>
public enum TrainingMethod
{
    /// <summary>LoRA-PAR: SFT on System-1 data with the stage-1 mask, then GRPO on System-2 data with the stage-2 mask.</summary>
    LoraPar,

    /// <summary>SFT only, on all training data, for <c>sft.epochs</c> (the LoRA / OLoRA / PiSSA baselines of Table 4).</summary>
    Sft,

    /// <summary>SFT on all data, then GRPO on all data (PiSSA+RL).</summary>
    SftThenRl,

    /// <summary>The order ablation: GRPO on System-2 data first, then SFT on System-1 data.</summary>
    RlThenSft,

    /// <summary>
    /// Stage 1 of LoRA-PAR alone: SFT on System-1 data (D1) with the stage-1 mask, no GRPO (Tables 1 and 3, which compare
    /// splits and cut-points "under SFT": Table 1's n = 3 value equals Table 4's *LoRA(θ = 0.9) after stage 1).
    /// </summary>
    LoraParSft,
}

/// <summary>How much the console shows (cosmetic).</summary>
public enum Verbosity
{
    /// <summary>Errors and the final summary.</summary>
    Quiet,

    /// <summary>Stage lines and progress bars.</summary>
    Normal,

    /// <summary>Everything the run log holds.</summary>
    Verbose,
}

/// <summary>How progress is shown (cosmetic).</summary>
public enum ProgressDisplay
{
    /// <summary>Bars on an interactive terminal, plain lines otherwise.</summary>
    Auto,

    /// <summary>Live bars with ETA; without a terminal (output redirected) plain lines, as <see cref="Auto"/>.</summary>
    Bars,

    /// <summary>Plain lines with ETA (logs, CI).</summary>
    Lines,

    /// <summary>Nothing.</summary>
    None,
}

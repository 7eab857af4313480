namespace LoraPar.Pipeline.Stages;

/// <summary>The stage names of the LoRA-PAR pipeline (DESIGN.md "The pipeline"), in DAG order.</summary>
public static class StageKinds
{
    /// <summary>Trains the built-in tiny base model.</summary>
    public const string Pretrain = "pretrain";

    /// <summary>Loads and normalises the corpus.</summary>
    public const string Data = "data";

    /// <summary>Teachers' System-1 / System-2 votes.</summary>
    public const string Labels = "labels";

    /// <summary>Per-system importance scores.</summary>
    public const string Scores = "scores";

    /// <summary>θ/α/β partition into stage masks.</summary>
    public const string Masks = "masks";

    /// <summary>Stage 1: SFT.</summary>
    public const string Sft = "sft";

    /// <summary>Stage 2: GRPO.</summary>
    public const string Rl = "rl";

    /// <summary>Evaluation of the base model alone, shared by every run over the same base and benchmarks.</summary>
    public const string EvalBase = "eval-base";

    /// <summary>Evaluation.</summary>
    public const string Eval = "eval";

    /// <summary>report.md and figures.</summary>
    public const string Report = "report";

    /// <summary>All of them in DAG order.</summary>
    public static IReadOnlyList<string> All { get; } = [Pretrain, Data, Labels, Scores, Masks, Sft, Rl, EvalBase, Eval, Report];
}

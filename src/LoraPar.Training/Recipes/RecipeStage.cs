namespace LoraPar.Training.Recipes;

/// <summary>The kind of training a recipe stage runs.</summary>
public enum StageKind
{
    /// <summary>Masked supervised fine-tuning (<c>SftTrainer</c>).</summary>
    Sft,

    /// <summary>Masked GRPO reinforcement learning.</summary>
    Rl,
}

/// <summary>Which examples a stage trains on.</summary>
public enum StageData
{
    /// <summary>D1: the examples the splitter labelled System 1.</summary>
    System1,

    /// <summary>D2: the examples the splitter labelled System 2.</summary>
    System2,

    /// <summary>The whole training set (the baselines of Table 4).</summary>
    All,
}

/// <summary>Which LoRA elements a stage trains.</summary>
public enum StageMask
{
    /// <summary>The stage-1 mask: Ω1-only plus the top α of the shared elements.</summary>
    Stage1,

    /// <summary>The stage-2 mask: Ω2-only plus the top β of the shared elements.</summary>
    Stage2,

    /// <summary>Every LoRA element (plain LoRA / OLoRA / PiSSA).</summary>
    All,
}

/// <summary>One stage of a recipe: what kind of training, on which data, under which mask, for how many epochs.</summary>
public sealed record RecipeStage(StageKind Kind, StageData Data, StageMask Mask, int Epochs = 1)
{
    /// <summary>An SFT stage.</summary>
    public static RecipeStage Sft(StageData data, StageMask mask, int epochs = 1) => new(StageKind.Sft, data, mask, epochs);

    /// <summary>A GRPO stage.</summary>
    public static RecipeStage Rl(StageData data, StageMask mask, int epochs = 1) => new(StageKind.Rl, data, mask, epochs);

    /// <summary>A short label such as <c>sft(system1, stage1, 1 epoch)</c>.</summary>
    public override string ToString() =>
        $"{Kind.ToString().ToLowerInvariant()}({Data.ToString().ToLowerInvariant()}, {Mask.ToString().ToLowerInvariant()}, {Epochs} epoch{(Epochs == 1 ? "" : "s")})";
}

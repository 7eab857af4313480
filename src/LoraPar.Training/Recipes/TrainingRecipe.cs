using LoraPar.Adapters;
using LoraPar.Core;

namespace LoraPar.Training.Recipes;

/// <summary>How the masks of a recipe are made.</summary>
public enum MaskSource
{
    /// <summary>LoRA-PAR: importance scores per system, then the θ/α/β partition (Algorithm 1).</summary>
    Importance,

    /// <summary>The paper's "Rand." control: as many active elements as the importance masks, chosen at random.</summary>
    Random,

    /// <summary>No masks: every element trains (plain LoRA, OLoRA, PiSSA).</summary>
    Full,
}

/// <summary>
/// A training recipe as configuration, not code: the adapter init, where the masks come from and the ordered stages. The
/// pipeline runs the stages in order, each starting from the previous one's adapter; the paper's tables are these presets
/// (Table 2's α/β grid varies the mask settings, not the recipe).
/// </summary>
/// <param name="Name">The manifest name, e.g. <c>lora-par</c>.</param>
/// <param name="Init">How the LoRA factors start.</param>
/// <param name="Masks">Where the masks come from.</param>
/// <param name="Stages">The stages, in order.</param>
public sealed record TrainingRecipe(string Name, LoraInit Init, MaskSource Masks, IReadOnlyList<RecipeStage> Stages)
{
    /// <summary>LoRA-PAR: SFT on D1 under the stage-1 mask, then GRPO on D2 under the stage-2 mask.</summary>
    public static TrainingRecipe LoraPar { get; } = new("lora-par", LoraInit.GaussianBoth, MaskSource.Importance,
        [RecipeStage.Sft(StageData.System1, StageMask.Stage1), RecipeStage.Rl(StageData.System2, StageMask.Stage2)]);

    /// <summary>The order ablation: GRPO on D2 first, then SFT on D1, with the same masks.</summary>
    public static TrainingRecipe RlThenSft { get; } = LoraPar with
    {
        Name = "rl-then-sft", Stages = [RecipeStage.Rl(StageData.System2, StageMask.Stage2), RecipeStage.Sft(StageData.System1, StageMask.Stage1)],
    };

    /// <summary>Table 3's "Rand.": LoRA-PAR's stages with random masks of the same sizes.</summary>
    public static TrainingRecipe RandomMask { get; } = LoraPar with { Name = "random-mask", Masks = MaskSource.Random };

    /// <summary>The quickstart's plain-LoRA control: LoRA-PAR's stages and data with every element active.</summary>
    public static TrainingRecipe FullSftThenRl { get; } = new("lora-sft-rl", LoraInit.GaussianBoth, MaskSource.Full,
        [RecipeStage.Sft(StageData.System1, StageMask.All), RecipeStage.Rl(StageData.System2, StageMask.All)]);

    /// <summary>Table 4's LoRA baseline: two SFT epochs on all data.</summary>
    public static TrainingRecipe Lora { get; } = TwoEpochSft("lora", LoraInit.Kaiming);

    /// <summary>Table 4's OLoRA baseline: two SFT epochs on all data.</summary>
    public static TrainingRecipe Olora { get; } = TwoEpochSft("olora", LoraInit.Olora);

    /// <summary>Table 4's PiSSA baseline: two SFT epochs on all data.</summary>
    public static TrainingRecipe Pissa { get; } = TwoEpochSft("pissa", LoraInit.Pissa);

    /// <summary>Table 4's PiSSA+RL: one SFT epoch, then one GRPO epoch, on all data.</summary>
    public static TrainingRecipe PissaRl { get; } = new("pissa-rl", LoraInit.Pissa, MaskSource.Full,
        [RecipeStage.Sft(StageData.All, StageMask.All), RecipeStage.Rl(StageData.All, StageMask.All)]);

    /// <summary>Every preset, in the order the paper introduces them.</summary>
    public static IReadOnlyList<TrainingRecipe> Presets { get; } = [LoraPar, RlThenSft, RandomMask, FullSftThenRl, Lora, Olora, Pissa, PissaRl];

    /// <summary>The preset called <paramref name="name"/>; an unknown name is bad input listing the presets.</summary>
    public static TrainingRecipe Named(string name) =>
        Presets.FirstOrDefault(r => r.Name == name.Trim().ToLowerInvariant())
        ?? throw new BadInputException($"unknown recipe '{name}': use one of {string.Join(", ", Presets.Select(r => r.Name))}, or describe the stages explicitly");

    /// <summary>Every inconsistency, one message each (empty when the recipe can run).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Require(bool ok, string message) { if (!ok) problems.Add(message); }
        Require(Name.Length > 0 && Name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'),
            $"name '{Name}': use lower-case letters, digits and '-'");
        Require(Stages.Count > 0, "stages: a recipe needs at least one stage");
        for (var i = 0; i < Stages.Count; i++)
        {
            var stage = Stages[i];
            Require(stage.Epochs >= 1, $"stages[{i}] {stage}: epochs must be at least 1");
            Require(Masks != MaskSource.Full || stage.Mask == StageMask.All,
                $"stages[{i}] {stage}: masks = full has no stage-1/stage-2 masks; use mask = all or masks = importance/random");
            Require(Masks == MaskSource.Full || stage.Mask != StageMask.All,
                $"stages[{i}] {stage}: mask = all ignores the {Masks.ToString().ToLowerInvariant()} masks; use masks = full for an unmasked stage");
        }
        Require(!(Masks == MaskSource.Importance && Init == LoraInit.Kaiming),
            "init = lora starts B at zero, so every A element scores zero importance; use gaussian-both, pissa or olora with importance masks");
        return problems;
    }

    /// <summary>Throws a <see cref="BadInputException"/> listing every problem, if any.</summary>
    public TrainingRecipe Validated()
    {
        var problems = Problems();
        return problems.Count == 0 ? this : throw new BadInputException($"invalid recipe '{Name}':\n  " + string.Join("\n  ", problems));
    }

    /// <summary>A one-line description: <c>lora-par: gaussian-both init, importance masks, sft(system1, stage1, 1 epoch) → rl(…)</c>.</summary>
    public override string ToString() => $"{Name}: {Init.Name()} init, {Masks.ToString().ToLowerInvariant()} masks, {string.Join(" → ", Stages)}";

    private static TrainingRecipe TwoEpochSft(string name, LoraInit init) =>
        new(name, init, MaskSource.Full, [RecipeStage.Sft(StageData.All, StageMask.All, epochs: 2)]);
}

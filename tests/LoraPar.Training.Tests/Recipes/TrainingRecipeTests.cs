using LoraPar.Adapters;
using LoraPar.Core;
using LoraPar.Training.Recipes;

namespace LoraPar.Training.Tests.Recipes;

public sealed class TrainingRecipeTests
{
    [Fact]
    public void Every_preset_is_valid_and_found_by_name()
    {
        foreach (var recipe in TrainingRecipe.Presets)
        {
            Assert.Empty(recipe.Problems());
            Assert.Same(recipe, TrainingRecipe.Named(recipe.Name.ToUpperInvariant()));
        }
        Assert.Equal(TrainingRecipe.Presets.Count, TrainingRecipe.Presets.Select(r => r.Name).Distinct().Count());
    }

    [Fact]
    public void The_presets_describe_the_papers_tables()
    {
        Assert.Equal("lora-par: gaussian-both init, importance masks, sft(system1, stage1, 1 epoch) → rl(system2, stage2, 1 epoch)",
            TrainingRecipe.LoraPar.ToString());
        Assert.Equal("rl-then-sft: gaussian-both init, importance masks, rl(system2, stage2, 1 epoch) → sft(system1, stage1, 1 epoch)",
            TrainingRecipe.RlThenSft.ToString());
        Assert.Equal("pissa: pissa init, full masks, sft(all, all, 2 epochs)", TrainingRecipe.Pissa.ToString());
        Assert.Equal("pissa-rl: pissa init, full masks, sft(all, all, 1 epoch) → rl(all, all, 1 epoch)", TrainingRecipe.PissaRl.ToString());
        Assert.Equal(MaskSource.Random, TrainingRecipe.RandomMask.Masks);
        Assert.Equal(TrainingRecipe.LoraPar.Stages, TrainingRecipe.RandomMask.Stages);
    }

    [Fact]
    public void Inconsistent_recipes_list_every_problem()
    {
        var recipe = new TrainingRecipe("My Recipe", LoraInit.Kaiming, MaskSource.Importance,
            [RecipeStage.Sft(StageData.System1, StageMask.All, epochs: 0)]);
        var error = Assert.Throws<BadInputException>(() => recipe.Validated());
        Assert.Contains("name 'My Recipe'", error.Message);
        Assert.Contains("epochs must be at least 1", error.Message);
        Assert.Contains("mask = all ignores the importance masks", error.Message);
        Assert.Contains("every A element scores zero importance", error.Message);
        Assert.Contains("masks = full has no stage-1/stage-2 masks",
            Assert.Single((TrainingRecipe.Lora with { Stages = [RecipeStage.Rl(StageData.System2, StageMask.Stage2)] }).Problems()));
        Assert.Contains("at least one stage", Assert.Single((TrainingRecipe.Lora with { Stages = [] }).Problems()));
        Assert.Throws<BadInputException>(() => TrainingRecipe.Named("qlora"));
    }
}

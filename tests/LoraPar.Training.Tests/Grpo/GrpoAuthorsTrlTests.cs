using LoraPar.Core;
using LoraPar.Model.Tokenizers;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Grpo;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Training.Tests.Grpo;

/// <summary>The switches that reproduce the authors' TRL (0.14/0.15): log-prob temperature, the base model as KL reference, their prompt.</summary>
[Collection(GlobalRngCollection.Name)]
public sealed class GrpoAuthorsTrlTests
{
    [Fact]
    public void Log_probs_divide_by_the_temperature_only_when_asked()
    {
        var o = new GrpoOptions { Temperature = 0.7 };
        Assert.Equal(0.7, o.LogProbTemperature);
        Assert.Equal(1.0, (o with { DivideLogitsByTemperature = false }).LogProbTemperature);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Policy_old_and_reference_log_probs_use_one_temperature(bool divide)
    {
        // On a rollout's first update the policy is the sampling policy and the stage-start reference: ratio 1 and k3 = 0
        // exactly, at temperature 2 — unless one of the three scores used another temperature.
        var (kl, ratio, _) = FirstStep(KlReference.StageStart, divide);
        Assert.Equal(0.0, kl, 6);
        Assert.Equal(1.0, ratio, 6);
    }

    [Fact]
    public void A_base_model_reference_is_the_model_with_its_adapters_off()
    {
        var (stageStart, _, startElements) = FirstStep(KlReference.StageStart, divide: true);
        var (base_, _, baseElements) = FirstStep(KlReference.Base, divide: true);
        Assert.True(base_ > 1e-4, $"k3 against the base model at the first step: {base_}");
        Assert.Equal(0.0, stageStart, 6);
        Assert.True(startElements > 0);
        Assert.Equal(0, baseElements);                       // nothing kept: the base model is the adapters switched off
    }

    [Fact]
    public void The_prompt_format_is_the_authors_system_prompt_under_the_template_or_a_plain_preamble()
    {
        var format = new PromptFormat();
        Assert.Equal("[INST] <<SYS>>\n" + PromptFormat.AuthorsSystemPrompt + "\n<</SYS>>\n\nHow many? [/INST]", format.Build("How many?", ChatTemplate.Llama2));
        Assert.Equal("Respond in the following format:\n<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>\n\nQuestion: How many?\nAnswer:\n",
            format.Build("How many?", ChatTemplate.None));
        var error = Assert.Throws<BadInputException>(() => new GrpoOptions { Prompt = new() { SystemPrompt = " \n" } }.Validated());
        Assert.Contains("rl.prompt.system_prompt: is empty", error.Message);
    }

    [Fact]
    public void Auto_reward_rules_are_the_authors_on_file_data_and_lorapars_on_the_synthetic_task()
    {
        var o = new GrpoOptions();
        Assert.Equal((RewardRules.Authors, RewardRules.Lorapar), (o.RulesFor(synthetic: false), o.RulesFor(synthetic: true)));
        Assert.Equal(RewardRules.Authors, (o with { RewardRules = RewardRules.Authors }).RulesFor(synthetic: true));
    }

    private static (double Kl, double Ratio, long ReferenceElements) FirstStep(KlReference reference, bool divide)
    {
        using var lm = new TinyLm();
        using var dir = new TempFolder();
        using var mask = ToyGrpo.Stage2Mask(lm);
        ToyGrpo.Stage1(lm, Path.Combine(dir.Path, "sft"));
        var options = ToyGrpo.Options(steps: 2) with
        {
            Temperature = 2.0, DivideLogitsByTemperature = divide, KlReference = reference, NumIterations = 2, Loss = new() { Beta = 0.04 },
        };
        var result = new GrpoTrainer(lm.Model, lm.Tokenizer, lm.Adapters, mask, options, ToyGrpo.Reward(options))
            .Train(ToyGrpo.Data(), new TrainingRun(Path.Combine(dir.Path, "grpo"), "tiny"));
        var first = result.History[0];
        return (first.Kl, first.MeanRatio, result.ReferenceElements);
    }
}

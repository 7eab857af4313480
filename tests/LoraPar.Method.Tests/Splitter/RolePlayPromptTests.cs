using LoraPar.Core;
using LoraPar.Method.Splitter;

namespace LoraPar.Method.Tests.Splitter;

public sealed class RolePlayPromptTests
{
    [Fact]
    public void Role_play_names_the_target_defines_both_systems_and_asks_for_an_exact_answer()
    {
        var p = RolePlayPrompt.RolePlayDefault.Render("LLaMA-2-7B", "How many legs do 3 spiders have?");

        Assert.StartsWith("You are LLaMA-2-7B.", p.System);
        Assert.Contains("System 1:", p.System);
        Assert.Contains("System 2:", p.System);
        Assert.Equal(2, p.System.Split("Example:").Length - 1);
        Assert.Contains("exactly \"System 1\" or \"System 2\"", p.System);
        Assert.Contains("Question: How many legs do 3 spiders have?", p.User);
        Assert.Contains("As LLaMA-2-7B", p.User);
    }

    [Fact]
    public void No_role_play_keeps_the_definitions_but_never_names_the_target()
    {
        var p = RolePlayPrompt.NoRolePlayDefault.Render("LLaMA-2-7B", "Q?");

        Assert.DoesNotContain("LLaMA-2-7B", p.System + p.User);
        Assert.Contains("System 1:", p.System);
        Assert.Contains("Question: Q?", p.User);
        Assert.NotEqual(RolePlayPrompt.RolePlayDefault.TemplateHash, RolePlayPrompt.NoRolePlayDefault.TemplateHash);
        Assert.Same(RolePlayPrompt.NoRolePlayDefault, RolePlayPrompt.Default(PromptStyle.NoRolePlay));
    }

    [Fact]
    public void Braces_inside_a_question_are_left_alone()
    {
        var p = new RolePlayPrompt("As {target_model}.", "Q: {question}").Render("M", "Is {target_model} a set {1, 2}?");
        Assert.Equal("Q: Is {target_model} a set {1, 2}?", p.User);
        Assert.Equal("As M.", p.System);
    }

    [Fact]
    public void Unknown_placeholders_and_a_missing_question_are_reported_together()
    {
        var bad = new RolePlayPrompt("You are {target}.", "No question here.");

        Assert.Equal(2, bad.Problems().Count);
        var e = Assert.Throws<BadInputException>(() => bad.Render("M", "Q"));
        Assert.Contains("{target}", e.Message);
        Assert.Contains("{question}", e.Message);
    }
}

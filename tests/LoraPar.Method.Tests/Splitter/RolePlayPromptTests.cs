using LoraPar.Core;
using LoraPar.Method.Splitter;

namespace LoraPar.Method.Tests.Splitter;

public sealed class RolePlayPromptTests
{
    private static readonly SplitterItem Spiders = new("q", "How many legs do 3 spiders have?", "3 * 8 = <<3*8=24>>24 legs.\n#### 24");

    [Fact]
    public void The_default_is_figure_3_word_for_word_with_its_two_examples_then_the_question_and_its_answer()
    {
        var p = RolePlayPrompt.RolePlayDefault.Render("LLaMA2 7B", Spiders);

        // Figure 3 of the paper, as quoted in issue 18.
        Assert.StartsWith("Act as LLaMA2 7B — concise, efficient, and reasoning step by step like it would. Given a task or question "
                          + "and its answer, decide whether it belongs to 'System1' or 'System2' based on the following criteria:\n"
                          + "1. System1 tasks rely on immediate recall, straightforward reading comprehension, or simple inferences that "
                          + "do not require multi-step reasoning.\n"
                          + "2. System2 tasks require multi-step logical reasoning, chaining information, or complex inferential processes.", p);
        Assert.Contains("Question: What are the top graph databases?\n"
                        + "Answer: 1. Neo4j; 2. Microsoft Azure Cosmos DB; 3. Virtuoso; 4. ArangoDB; 5. Amazon Neptune", p);
        Assert.Contains("Question: Ram was asked to repeat after the speaker. Speaker: Red, Ram: Red. Speaker: Blue, Ram: Blue. "
                        + "Speaker: Green, Ram: Green. Speaker: What's your name? , Ram: Ram  What went wrong here?", p);
        Assert.Contains("Question: How many legs do 3 spiders have?\nAnswer: 3 * 8 = <<3*8=24>>24 legs.\n#### 24\n", p);
        Assert.True(p.IndexOf("Ram was asked", StringComparison.Ordinal) < p.IndexOf("3 spiders", StringComparison.Ordinal));
        Assert.EndsWith("Reply with exactly 'System1' or 'System2'.", p);
    }

    [Fact]
    public void No_role_play_is_figure_3_without_acting_as_the_target()
    {
        var p = RolePlayPrompt.NoRolePlayDefault.Render("LLaMA-2-7B", Spiders);

        Assert.DoesNotContain("LLaMA-2-7B", p);
        Assert.DoesNotContain("Act as", p);
        Assert.StartsWith("Given a task or question and its answer", p);
        Assert.Equal(RolePlayPrompt.RolePlayDefault.Render("X", Spiders)[(RolePlayPrompt.RolePlayDefault.Render("X", Spiders).Length - p.Length)..], p);
        Assert.NotEqual(RolePlayPrompt.RolePlayDefault.TemplateHash, RolePlayPrompt.NoRolePlayDefault.TemplateHash);
        Assert.Same(RolePlayPrompt.NoRolePlayDefault, RolePlayPrompt.Default(PromptStyle.NoRolePlay));
    }

    [Fact]
    public void A_question_without_a_reference_solution_shows_that_no_answer_was_given()
    {
        var p = new RolePlayPrompt("Q: {question}\nA: {answer}").Render("M", new SplitterItem("q", "Why?"));
        Assert.Equal("Q: Why?\nA: " + RolePlayPrompt.NoAnswer, p);
    }

    [Fact]
    public void Braces_inside_a_question_or_answer_are_left_alone()
    {
        var p = new RolePlayPrompt("As {target_model}. Q: {question} A: {answer}").Render("M", new SplitterItem("q", "Is {target_model} a set {1, 2}?", "{answer}"));
        Assert.Equal("As M. Q: Is {target_model} a set {1, 2}? A: {answer}", p);
    }

    [Fact]
    public void Unknown_placeholders_are_reported_at_their_line_and_column_and_a_missing_question_too()
    {
        var bad = new RolePlayPrompt("You are {target}.\nSolve: {questions} with {answer}");

        var problems = bad.Problems();
        Assert.Equal(new TemplateProblem(1, 9, "unknown placeholder {target}; the known ones are {target_model}, {question}, {answer}"), problems[0]);
        Assert.Equal((2, 8), (problems[1].Line, problems[1].Column));
        Assert.Contains("{questions}", problems[1].Message);
        Assert.Equal("the template must contain {question}", problems[2].Message);
        var e = Assert.Throws<BadInputException>(() => bad.Render("M", Spiders));
        Assert.Contains("1:9 unknown placeholder {target}", e.Message);
    }
}

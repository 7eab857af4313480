using LoraPar.Core;
using LoraPar.Evaluation.Own;

namespace LoraPar.Evaluation.Tests.Own;

public sealed class AnswerGraderTests
{
    [Theory]
    [InlineData("The Eiffel Tower.", "eiffel tower", true)]
    [InlineData("Eiffel Tower, Paris", "Eiffel Tower", false)]
    [InlineData("", "Eiffel Tower", false)]                  // empty output
    public void Exact_compares_normalised_whole_answers(string output, string gold, bool correct) =>
        Assert.Equal(correct, new AnswerGrader(AnswerMetric.Exact).Correct(output, gold));

    [Fact]
    public void Exact_with_an_answer_regex_compares_the_first_groups_of_output_and_gold()
    {
        var grader = new AnswerGrader(AnswerMetric.Exact, @"Answer:\s*(.+)");
        Assert.True(grader.Correct("I think so.\nAnswer: The Nile", "Answer: nile"));
        Assert.True(grader.Correct("Answer: Nile", "Nile"));             // no span in the gold: the whole gold
        Assert.False(grader.Correct("The Nile", "Nile"));               // no span in the output: no answer
    }

    [Theory]
    [InlineData("so 3*4=12 and then 12+2=14\n#### 14", "14", true)]
    [InlineData("The answer is 1,000.", "1000", true)]               // GSM8K's comparison: commas and a trailing point go
    [InlineData("#### 14 and later 15", "He has 14.\n#### 14", true)] // the marked answer first, for output and gold alike
    [InlineData("no number here", "14", false)]
    [InlineData("", "14", false)]
    public void Numeric_reuses_the_gsm8k_extraction(string output, string gold, bool correct) =>
        Assert.Equal(correct, new AnswerGrader(AnswerMetric.Numeric).Correct(output, gold));

    [Fact]
    public void Numeric_with_an_answer_regex_reads_its_group()
    {
        var grader = new AnswerGrader(AnswerMetric.Numeric, @"total:\s*(\S+)");
        Assert.True(grader.Correct("items 3, 4; total: 7.0", "7"));
        Assert.False(grader.Correct("items 3, 4, 7", "7"));             // the last number is 7, but there is no span
    }

    [Fact]
    public void Regex_puts_the_gold_in_literally()
    {
        var grader = new AnswerGrader(AnswerMetric.Regex, pattern: @"(?i)\bcapital is {gold}\b");
        Assert.True(grader.Correct("The capital is PARIS.", "Paris"));
        Assert.False(grader.Correct("The capital is Parisian", "Paris"));
        Assert.False(new AnswerGrader(AnswerMetric.Regex, pattern: "^{gold}$").Correct("1x5", "1.5"));  // "." is escaped
        Assert.True(new AnswerGrader(AnswerMetric.Regex, pattern: "^{gold}$").Correct("1.5", "1.5"));
    }

    [Fact]
    public void Choice_on_a_generated_answer_names_one_of_the_options()
    {
        var grader = new AnswerGrader(AnswerMetric.Choice, @"\(([A-D])\)", options: ["A", "B", "C", "D"]);
        Assert.Equal(1, grader.Chosen("I pick (B)."));
        Assert.True(grader.Correct("I pick (B).", "B"));
        Assert.False(grader.Correct("I pick (E).", "E"));                 // not an option
        Assert.Null(grader.Chosen(""));
    }

    [Theory]
    [InlineData(AnswerMetric.Exact, "([a-z", null, "answer_regex")]
    [InlineData(AnswerMetric.Regex, null, null, "pattern")]
    [InlineData(AnswerMetric.Regex, null, "answer: 42", "pattern")]        // never mentions {gold}
    [InlineData(AnswerMetric.Regex, null, "({gold}", "pattern")]
    [InlineData(AnswerMetric.Numeric, null, "x{gold}", "pattern")]         // a pattern belongs to the regex metric
    public void Settings_that_cannot_grade_are_refused(AnswerMetric metric, string? answerRegex, string? pattern, string key)
    {
        Assert.Equal(key, AnswerGrader.Problem(metric, answerRegex, pattern)?.Key);
        Assert.Throws<BadInputException>(() => new AnswerGrader(metric, answerRegex, pattern));
    }
}

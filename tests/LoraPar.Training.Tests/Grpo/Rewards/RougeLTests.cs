using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Training.Tests.Grpo.Rewards;

public sealed class RougeLTests
{
    // Lin (2004), "ROUGE: A Package for Automatic Evaluation of Summaries", §3.1: against the reference "police killed the
    // gunman", S2 "police kill the gunman" has ROUGE-L 3/4 and S3 "the gunman kill police" 2/4 (β = 1).
    [Theory]
    [InlineData("police kill the gunman", 0.75)]
    [InlineData("the gunman kill police", 0.5)]
    [InlineData("police killed the gunman", 1.0)]
    [InlineData("nothing in common", 0.0)]
    public void F1_matches_the_examples_of_the_ROUGE_paper(string candidate, double expected)
    {
        Assert.Equal(expected, RougeL.F1(candidate, "police killed the gunman"), 12);
    }

    [Fact]
    public void Precision_and_recall_differ_when_the_lengths_differ()
    {
        // LCS("a b c d e f", "a c f") = 3: P = 3/3, R = 3/6, F = 2·1·0.5 / 1.5 = 2/3.
        Assert.Equal(2.0 / 3.0, RougeL.F1("a c f", "a b c d e f"), 12);
        Assert.Equal(2.0 / 3.0, RougeL.F1("a b c d e f", "a c f"), 12);
    }

    [Fact]
    public void Case_punctuation_and_layout_do_not_count_and_empty_text_scores_zero()
    {
        Assert.Equal(["def", "add", "a", "b", "return", "a", "b"], RougeL.Tokens("def add(a, b):\n    return a+b"));
        Assert.Equal(1.0, RougeL.F1("Police, KILLED\nthe gunman!", "police killed the gunman"));
        Assert.Equal(0.0, RougeL.F1("", "police"));
        Assert.Equal(0.0, RougeL.F1("police", " ... "));
    }
}

using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Training.Tests.Grpo.Rewards;

public sealed class RewardFunctionTests
{
    private const string Ideal = "<reasoning>\nShe has 5+3=<<5+3=8>>8.\nShe has 8-2=<<8-2=6>>6.\n</reasoning>\n<answer>\n6\n</answer>\n";

    [Theory]
    [InlineData(Ideal, "6", 2.0)]
    [InlineData(Ideal, "7", 0.0)]
    [InlineData("<answer> 1,000 </answer>", "1000", 2.0)]
    [InlineData("<answer>18.0</answer>", "18", 2.0)]
    [InlineData("<answer>\n5\n</answer> then <answer>6</answer>", "6", 2.0)]   // the last answer block counts
    [InlineData("<reasoning>x</reasoning><answer>\n6", "6", 2.0)]               // unclosed: to the end, as the authors
    [InlineData("6", "6", 0.0)]                                                  // no tag: no answer (authors would give 2.0)
    [InlineData("<answer></answer>", "", 0.0)]
    [InlineData("<answer>six</answer>", "6", 0.0)]
    public void Correctness_compares_the_answer_block_with_the_gold_number(string completion, string gold, double expected) =>
        Assert.Equal(expected, CorrectnessReward.Score(completion, gold, RewardRules.Lorapar));

    [Theory]
    [InlineData("She has 8-2=<<8-2=6>>6.\n#### 6", "6", 2.0)]
    [InlineData("#### 6\nQuestion: next", "6", 2.0)]
    [InlineData("####7 then #### 6", "6", 0.0)]   // the first marker counts
    [InlineData("#### 1,234", "1234", 2.0)]
    [InlineData("the answer is 6", "6", 0.0)]
    public void Hash_correctness_reads_the_number_after_the_marker(string completion, string gold, double expected) =>
        Assert.Equal(expected, HashCorrectnessReward.Score(completion, gold));

    [Theory]
    [InlineData(Ideal, 0.5)]
    [InlineData("<answer>-3</answer>", 0.5)]
    [InlineData("<answer>3.5</answer>", 0.0)]
    [InlineData("<answer>1,000</answer>", 0.0)]
    [InlineData("<answer></answer>", 0.0)]
    [InlineData("42", 0.0)]
    public void Integer_answer_needs_an_integer_in_the_answer_block(string completion, double expected) =>
        Assert.Equal(expected, IntegerAnswerReward.Score(completion, RewardRules.Lorapar));

    [Theory]
    [InlineData(Ideal, 0.5)]
    [InlineData("<reasoning>\n\n</reasoning>\n<answer>\n\n</answer>\n", 0.5)]
    [InlineData("<reasoning>\nx\n</reasoning>\n<answer>\n6\n</answer>", 0.0)]            // final newline missing
    [InlineData("<reasoning>\nx\n</reasoning>\n<answer>\n6\n</answer>\n\n", 0.0)]        // one newline too many
    [InlineData("<reasoning>x</reasoning>\n<answer>\n6\n</answer>\n", 0.0)]              // tags not on their own lines
    [InlineData(" <reasoning>\nx\n</reasoning>\n<answer>\n6\n</answer>\n", 0.0)]         // leading text
    [InlineData("<reasoning>\nx\n</reasoning>\n<answer>\n5\n</answer>\n<answer>\n6\n</answer>\n", 0.0)]  // a second block
    public void Strict_format_accepts_exactly_the_layout(string completion, double expected) =>
        Assert.Equal(expected, StrictFormatReward.Score(completion, RewardRules.Lorapar));

    [Theory]
    [InlineData(Ideal, 0.5)]
    [InlineData("<reasoning>a\nb</reasoning>  <answer>6</answer> and more", 0.5)]
    [InlineData("<reasoning>a</reasoning>x<answer>6</answer>", 0.0)]
    [InlineData("Sure. <reasoning>a</reasoning><answer>6</answer>", 0.0)]
    [InlineData("<reasoning>a</reasoning>", 0.0)]
    public void Soft_format_needs_reasoning_then_answer_from_the_start(string completion, double expected) =>
        Assert.Equal(expected, SoftFormatReward.Score(completion, RewardRules.Lorapar));

    [Theory]
    [InlineData(Ideal, 0.5)]
    [InlineData("<reasoning>\nx\n</reasoning>\n<answer>\n6\n</answer>", 0.5)]           // no final newline: no tail
    [InlineData("<reasoning>\nx\n</reasoning>\n<answer>\n6\n</answer>\nabc\n", 0.492)]  // tail "abc\n" = 4: 0.5 − 2·0.004
    [InlineData("<reasoning>\nx\n</reasoning>\n<answer>\n6", 0.375)]                    // three tags
    [InlineData("<reasoning>\nx", 0.125)]
    [InlineData("<reasoning>\n<reasoning>\nx\n</reasoning>\n", 0.125)]                 // duplicated opening tag earns nothing
    [InlineData("no tags at all", 0.0)]
    public void Xml_tag_count_gives_partial_credit_minus_the_tail_penalty(string completion, double expected) =>
        Assert.Equal(expected, XmlTagCountReward.Score(completion, RewardRules.Lorapar), 12);

    [Fact]
    public void Trailing_characters_skip_one_newline_and_count_the_rest()
    {
        Assert.Equal(0, XmlTagCountReward.TrailingCharacters("a\n</answer>\n"));
        Assert.Equal(3, XmlTagCountReward.TrailingCharacters("a\n</answer>abc"));
        Assert.Equal(4, XmlTagCountReward.TrailingCharacters("a\n</answer>\n\nabc"));
        Assert.Equal(0, XmlTagCountReward.TrailingCharacters("no closing tag, long text"));
        Assert.Equal(2, PythonText.Count("aaaa", "aa"));
    }
}

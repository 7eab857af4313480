using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Training.Tests.Grpo.Rewards;

/// <summary>The authors' reading (<see cref="RewardRules.Authors"/>) on cases computed by hand from their <c>example.py</c>.</summary>
public sealed class AuthorsRewardTests
{
    private const string Body = "<reasoning>\nx\n</reasoning>\n<answer>\n6\n</answer>";   // 47 characters

    [Theory]
    [InlineData(Body + "\n", "6", 2.0)]
    [InlineData("6", "6", 2.0)]                                    // no tag: the whole completion is the answer
    [InlineData("42 </answer> tail", "42", 2.0)]                   // … up to a first closing tag
    [InlineData("<answer> 1,000 </answer>", "1000", 0.0)]          // the answer keeps its comma
    [InlineData("<answer>1000</answer>", "1,000", 2.0)]            // the gold loses its comma
    [InlineData("<answer>18.0</answer>", "18", 0.0)]               // strings, not numbers
    [InlineData("<answer>\n5\n</answer> then <answer>6</answer>", "6", 2.0)]
    [InlineData("<answer></answer>", "", 2.0)]
    public void Correctness_is_string_equality_with_the_gold_without_commas(string completion, string gold, double expected) =>
        Assert.Equal(expected, CorrectnessReward.Score(completion, gold, RewardRules.Authors));

    [Theory]
    [InlineData("42", 0.5)]
    [InlineData("<answer>-3</answer>", 0.0)]                       // str.isdigit has no sign
    [InlineData("<answer>\u00b2</answer>", 0.5)]                    // superscript two: numeric type Digit
    [InlineData("<answer> \u0663 </answer>", 0.5)]                  // Arabic-Indic three: Decimal
    [InlineData("<answer>\u00bd</answer>", 0.0)]                    // one half: Numeric, not a digit
    [InlineData("<answer></answer>", 0.0)]
    public void Integer_answer_is_pythons_isdigit(string completion, double expected) =>
        Assert.Equal(expected, IntegerAnswerReward.Score(completion, RewardRules.Authors));

    [Theory]
    [InlineData(Body + "\n", 0.5)]
    [InlineData(Body + "\n\n", 0.5)]                               // Python's $ also before one more final newline
    [InlineData(Body + "\n\n\n", 0.0)]
    [InlineData(Body, 0.0)]
    [InlineData("<reasoning>\nx\n</reasoning>\n<answer>\n5\n</answer>\n<answer>\n6\n</answer>\n", 0.5)]   // DOTALL: .*? spans the tags
    [InlineData(" " + Body + "\n", 0.0)]
    public void Strict_format_is_the_authors_pattern_with_dotall(string completion, double expected) =>
        Assert.Equal(expected, StrictFormatReward.Score(completion, RewardRules.Authors));

    [Theory]
    [InlineData("\n<reasoning>a</reasoning><answer>6</answer>", 0.5)]            // stripped first
    [InlineData("\u001c<reasoning>a</reasoning>\u001f<answer>6</answer>", 0.5)]  // Python's white space includes U+001C–U+001F
    [InlineData("Sure. <reasoning>a</reasoning><answer>6</answer>", 0.0)]
    public void Soft_format_strips_the_completion_first(string completion, double expected) =>
        Assert.Equal(expected, SoftFormatReward.Score(completion, RewardRules.Authors));

    [Theory]
    [InlineData(Body + "\n", 0.5)]                                  // tails "" and "\n" − 1: no penalty
    [InlineData(Body, 0.454)]                                       // "\n</answer>\n" absent: 0.5 − 0.047 (all 47) + 0.001 (0 − 1)
    [InlineData(Body + "abc", 0.448)]                               // 0.5 − 0.050 (all 50) − 0.002 (3 − 1)
    [InlineData(Body + "\nabc\n", 0.492)]                           // tails "abc\n" (4) and "\nabc\n" − 1 (4)
    [InlineData(Body + "\n\U0001F600", 0.498)]                      // len counts code points: one emoji is one
    [InlineData(Body + "\n</answer>\n", 0.365)]                     // two "\n</answer>": no fourth credit; split's last piece "</answer>\n" (10)
    [InlineData("<reasoning>\nx\n</reasoning>\n<answer>\n6", 0.338)]   // three credits, the whole 37 characters as tail
    public void Xml_tag_count_pays_for_splits_last_piece(string completion, double expected) =>
        Assert.Equal(expected, XmlTagCountReward.Score(completion, RewardRules.Authors), 12);

    [Fact]
    public void A_400_character_completion_ending_at_the_closing_tag_scores_0_101()
    {
        var filler = new string('y', 400 - (Body.Length - 1));
        var completion = Body.Replace("\nx\n", "\n" + filler + "\n", StringComparison.Ordinal);
        Assert.Equal(400, completion.Length);
        // 4 × 0.125, minus 0.001 × 400 (split on "\n</answer>\n" returns the whole text), minus 0.001 × (0 − 1).
        Assert.Equal(0.101, XmlTagCountReward.Score(completion, RewardRules.Authors), 12);
        Assert.Equal(0.5, XmlTagCountReward.Score(completion, RewardRules.Lorapar), 12);
    }

    [Fact]
    public void The_ideal_completion_scores_the_same_under_both_readings()
    {
        const string ideal = Body + "\n";
        foreach (var kind in Enum.GetValues<RewardKind>())
            Assert.Equal(RewardSet.Score(kind, ideal, "6", RewardRules.Lorapar), RewardSet.Score(kind, ideal, "6", RewardRules.Authors));
    }
}

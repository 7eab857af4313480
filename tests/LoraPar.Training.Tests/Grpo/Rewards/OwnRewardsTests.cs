using LoraPar.Core;
using LoraPar.Training.Grpo;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Training.Tests.Grpo.Rewards;

public sealed class OwnRewardsTests
{
    private const string Gold = "2 plus 5 is 7.\n#### 7";

    private static readonly OwnReward Numeric = new() { Kind = OwnRewardKind.Numeric, Weight = 2.0, AnswerRegex = @"####\s*(-?[0-9][0-9,.]*)" };
    private static readonly OwnReward Format = new() { Kind = OwnRewardKind.Format, Weight = 0.5, Pattern = @"(?m)^#### \S+$" };

    [Fact]
    public void Each_reward_gives_its_weight_when_it_passes_and_the_total_is_their_sum()
    {
        var rewards = new OwnRewards([Numeric, Format]);
        //                                      right + format   wrong + format   right, no line   empty
        var scores = rewards.Score(["so 7\n#### 7", "#### 8", "it is 7 #### 7", ""], RewardExamples.Of(Gold, Gold, Gold, Gold));

        Assert.Equal([2.0, 0.0, 2.0, 0.0], scores.PerFunction["numeric"]);
        Assert.Equal([0.5, 0.5, 0.0, 0.0], scores.PerFunction["format"]);
        Assert.Equal([2.5, 0.5, 2.0, 0.0], scores.Total);
        Assert.Equal([true, false, true, false], scores.Correct!);
    }

    [Fact]
    public void Exact_regex_and_choice_grade_as_the_eval_does()
    {
        OwnReward exact = new() { Kind = OwnRewardKind.Exact, AnswerRegex = @"Answer:\s*(.+)" };
        OwnReward regex = new() { Kind = OwnRewardKind.Regex, Pattern = @"(?i)answer:\s*{gold}\b" };
        OwnReward choice = new() { Kind = OwnRewardKind.Choice, AnswerRegex = @"Answer:\s*(.+)", Options = ["yes", "no"] };
        var scores = new OwnRewards([exact, regex, choice]).Score(["Answer: The Nile.", "Answer: Yes", "nothing"], RewardExamples.Of("nile", "yes", "no"));

        Assert.Equal([1.0, 1.0, 0.0], scores.PerFunction["exact"]);      // "The Nile." normalises to "nile"; no span in "nothing"
        Assert.Equal([0.0, 1.0, 0.0], scores.PerFunction["regex"]);      // "nile" is not right after "Answer:" in "Answer: The Nile."
        Assert.Equal([0.0, 1.0, 0.0], scores.PerFunction["choice"]);     // "nile" is no option; "yes" is the gold's
    }

    [Fact]
    public void A_choice_reward_with_an_options_column_grades_each_row_by_its_own_options()
    {
        OwnReward choice = new() { Kind = OwnRewardKind.Choice, OptionsColumn = "choices" };
        static GrpoExample Row(string gold, params string[] options) =>
            new("", gold, new Dictionary<string, IReadOnlyList<string>> { ["choices"] = options });
        var examples = new[] { Row("Paris", "Paris", "Rome"), Row("Rome", "Paris", "Rome"), Row("blue", "red", "green"), Row("Oslo", "Oslo", "Bergen") };
        //                                              right       wrong       not an option here   names its row's option
        var scores = new OwnRewards([choice]).Score(["paris.", "Paris", "blue", "The Oslo"], examples);

        Assert.Equal([1.0, 0.0, 0.0, 1.0], scores.PerFunction["choice"]);
        Assert.Throws<ArgumentException>(() => new OwnRewards([choice]).Score(["Paris"], RewardExamples.Of("Paris")));
    }

    [Theory]
    [InlineData(OwnRewardKind.Choice, new[] { "yes", "no" }, "choices", "options_column")]
    [InlineData(OwnRewardKind.Choice, new[] { "yes" }, "", "options")]
    [InlineData(OwnRewardKind.Exact, new string[0], "choices", "options_column")]
    [InlineData(OwnRewardKind.Format, new string[0], "choices", "options_column")]
    public void Options_are_given_inline_or_by_column_and_only_for_choice(OwnRewardKind kind, string[] options, string column, string key)
    {
        var reward = new OwnReward { Kind = kind, Options = options, OptionsColumn = column, Pattern = kind == OwnRewardKind.Format ? "x" : "" };
        Assert.Equal(key, Assert.Single(reward.Problems()).Key);
    }

    [Fact]
    public void Repeated_kinds_are_numbered_in_the_log()
    {
        Assert.Equal(["format", "numeric", "format_2"], OwnRewards.LogNames([Format, Numeric, Format with { Pattern = "x" }]));
    }

    [Theory]
    [InlineData(OwnRewardKind.Numeric, "([0-9", "", 1.0, "answer_regex")]
    [InlineData(OwnRewardKind.Regex, "", "answer: 42", 1.0, "pattern")]
    [InlineData(OwnRewardKind.Format, "", "", 1.0, "pattern")]
    [InlineData(OwnRewardKind.Format, "", "(x", 1.0, "pattern")]
    [InlineData(OwnRewardKind.Format, "#### (.*)", "x", 1.0, "answer_regex")]
    [InlineData(OwnRewardKind.Choice, "", "", 1.0, "options")]
    [InlineData(OwnRewardKind.Exact, "", "", 0.0, "weight")]
    public void Settings_that_cannot_reward_are_refused(OwnRewardKind kind, string answerRegex, string pattern, double weight, string key)
    {
        var reward = new OwnReward { Kind = kind, AnswerRegex = answerRegex, Pattern = pattern, Weight = weight };
        Assert.Contains(reward.Problems(), p => p.Key == key);
        Assert.Throws<BadInputException>(() => new OwnRewards([reward]));
    }

    [Fact]
    public void An_empty_list_is_refused()
    {
        Assert.Throws<BadInputException>(() => new OwnRewards([]));
    }
}

using LoraPar.Core;
using LoraPar.Method.Splitter;

namespace LoraPar.Method.Tests.Splitter;

public sealed class MajorityVoteTests
{
    private static readonly double[] Ones = [1, 1, 1];
    private const Vote S1 = Vote.System1, S2 = Vote.System2, A = Vote.Abstain;

    [Fact]
    public void Two_of_three_win()
    {
        var d = MajorityVote.Decide([S2, S1, S2], Ones, TieBreakRule.System1, 7, "q");
        Assert.Equal(new VoteDecision(ReasoningSystem.System2, LabelDecision.Majority, 1, 2, 3), d);
    }

    [Fact]
    public void Abstentions_carry_no_weight()
    {
        var d = MajorityVote.Decide([A, S1, A], Ones, TieBreakRule.System2, 7, "q");
        Assert.Equal(new VoteDecision(ReasoningSystem.System1, LabelDecision.Majority, 1, 0, 1), d);
    }

    [Fact]
    public void Weights_can_outvote_a_head_count()
    {
        // 2.5 for System 1 against 1 + 1 = 2 for System 2.
        var d = MajorityVote.Decide([S1, S2, S2], [2.5, 1, 1], TieBreakRule.System2, 7, "q");
        Assert.Equal(new VoteDecision(ReasoningSystem.System1, LabelDecision.Majority, 2.5, 2, 3), d);
    }

    [Theory]
    [InlineData(TieBreakRule.System1, ReasoningSystem.System1)]
    [InlineData(TieBreakRule.System2, ReasoningSystem.System2)]
    public void A_tie_goes_where_the_rule_says(TieBreakRule rule, ReasoningSystem expected)
    {
        var d = MajorityVote.Decide([S1, A, S2], Ones, rule, 7, "q");
        Assert.Equal(new VoteDecision(expected, LabelDecision.TieBreak, 1, 1, 2), d);
    }

    [Fact]
    public void Weighted_sums_that_differ_only_by_rounding_are_a_tie()
    {
        // 0.1 + 0.2 != 0.3 in floating point, but it is a tie.
        var d = MajorityVote.Decide([S1, S1, S2], [0.1, 0.2, 0.3], TieBreakRule.System1, 7, "q");
        Assert.Equal(LabelDecision.TieBreak, d.DecidedBy);
    }

    [Fact]
    public void First_teacher_rule_follows_the_first_teacher_that_voted()
    {
        Assert.Equal(ReasoningSystem.System2, MajorityVote.Decide([A, S2, S1], Ones, TieBreakRule.FirstTeacher, 7, "q").Label);
        Assert.Equal(ReasoningSystem.System1, MajorityVote.Decide([S1, S2, A], Ones, TieBreakRule.FirstTeacher, 7, "q").Label);
    }

    [Fact]
    public void No_votes_at_all_is_a_tie_with_zero_votes_cast()
    {
        var d = MajorityVote.Decide([A, A, A], Ones, TieBreakRule.System2, 7, "q");
        Assert.Equal(new VoteDecision(ReasoningSystem.System2, LabelDecision.TieBreak, 0, 0, 0), d);
    }

    [Fact]
    public void Random_tie_break_is_seeded_per_question_and_splits_roughly_evenly()
    {
        var ids = Enumerable.Range(0, 400).Select(i => $"q{i}").ToList();
        var first = ids.Select(id => MajorityVote.BreakTie([S1, S2], TieBreakRule.Random, 42, id)).ToList();
        var again = ids.Select(id => MajorityVote.BreakTie([S1, S2], TieBreakRule.Random, 42, id)).ToList();
        var otherSeed = ids.Select(id => MajorityVote.BreakTie([S1, S2], TieBreakRule.Random, 43, id)).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.InRange(first.Count(l => l == ReasoningSystem.System1), 160, 240);
    }

    [Fact]
    public void Bad_weights_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MajorityVote.Decide([S1], [0], TieBreakRule.System1, 0, "q"));
        Assert.Throws<ArgumentException>(() => MajorityVote.Decide([S1, S2], [1], TieBreakRule.System1, 0, "q"));
    }
}

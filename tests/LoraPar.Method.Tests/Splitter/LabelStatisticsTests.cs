using LoraPar.Method.Splitter;

namespace LoraPar.Method.Tests.Splitter;

public sealed class LabelStatisticsTests
{
    private static readonly TeacherConfig[] Teachers =
    [
        new OpenAiTeacherConfig("a", new Uri("http://127.0.0.1:1/v1"), "ma"),
        new OpenAiTeacherConfig("b", new Uri("http://127.0.0.1:2/v1"), "mb"),
        new HeuristicTeacherConfig("h"),
    ];

    private static TeacherVote V(int teacher, Vote vote, AnswerStatus status = AnswerStatus.Answered) =>
        new(Teachers[teacher].Name, Teachers[teacher].Kind, vote, status, status == AnswerStatus.Failed ? null : "raw");

    private static ItemLabel Item(string id, params TeacherVote[] votes)
    {
        var d = MajorityVote.Decide(votes.Select(v => v.Vote).ToList(), [1, 1, 1], TieBreakRule.System2, 0, id);
        return new ItemLabel(id, d.Label, d.DecidedBy, d.System1Weight, d.System2Weight, votes);
    }

    // Four questions:            a         b                      h
    private static readonly ItemLabel[] Labels =
    [
        Item("q0", V(0, Vote.System1), V(1, Vote.System1), V(2, Vote.System1)),
        Item("q1", V(0, Vote.System2), V(1, Vote.System2), V(2, Vote.System1)),
        Item("q2", V(0, Vote.System1), V(1, Vote.System2), V(2, Vote.System2)),
        Item("q3", V(0, Vote.Abstain, AnswerStatus.Unparseable), V(1, Vote.Abstain, AnswerStatus.Failed), V(2, Vote.System2)),
    ];

    [Fact]
    public void Counts_labels_decisions_and_abstentions()
    {
        var s = LabelStatistics.Compute(Labels, Teachers, [], SplitterMethod.RolePlayVote, TieBreakRule.System2);

        Assert.Equal(4, s.Items);
        Assert.Equal(new LabelBalance(new LabelCount(1, 0.25), new LabelCount(3, 0.75)), s.LabelBalance);
        Assert.Equal(new DecisionCounts(4, 0, 0), s.DecidedBy);
        Assert.Equal(new AbstentionCounts(2, 1, 1, 0), s.Abstentions);
    }

    [Fact]
    public void Per_teacher_rates_are_over_all_questions_and_mark_the_heuristic()
    {
        var s = LabelStatistics.Compute(Labels, Teachers, [], SplitterMethod.RolePlayVote, TieBreakRule.System2);

        var a = s.Teachers[0];
        Assert.Equal((2, 1, 1, 0, 0), (a.System1, a.System2, a.Unparseable, a.Failed, a.Skipped));
        Assert.Equal((0.5, 0.25, 0.25), (a.System1Rate, a.System2Rate, a.AbstentionRate));
        Assert.False(a.Heuristic);
        Assert.True(s.Teachers[2].Heuristic);
        Assert.Equal(TeacherKind.Heuristic, s.Teachers[2].Kind);
    }

    [Fact]
    public void Pairwise_agreement_counts_only_questions_both_voted_on()
    {
        var s = LabelStatistics.Compute(Labels, Teachers, [], SplitterMethod.RolePlayVote, TieBreakRule.System2);

        // a–b: q0 agree, q1 agree, q2 differ → 2/3. a–h: q0 agree, q1 differ, q2 differ → 1/3. b–h: q0, q2 agree of q0–q2 → 2/3.
        Assert.Equal(
            [new PairAgreement("a", "b", 3, 0.666667), new PairAgreement("a", "h", 3, 0.333333), new PairAgreement("b", "h", 3, 0.666667)],
            s.PairwiseAgreement);
    }

    [Fact]
    public void Fleiss_kappa_uses_the_questions_every_teacher_voted_on()
    {
        var s = LabelStatistics.Compute(Labels, Teachers, [], SplitterMethod.RolePlayVote, TieBreakRule.System2);

        // q0 (3,0), q1 (1,2), q2 (1,2): P_i = 1, 1/3, 1/3 → P̄ = 5/9; p = (5/9, 4/9) → P̄e = 41/81; κ = (45/81 − 41/81)/(40/81) = 0.1.
        Assert.Equal(3, s.FleissKappaItems);
        Assert.Equal(0.1, s.FleissKappa!.Value, 6);
    }

    [Fact]
    public void Kappa_is_null_with_one_teacher()
    {
        Assert.Equal((null, 0), LabelStatistics.Kappa(Labels, 1));
    }
}

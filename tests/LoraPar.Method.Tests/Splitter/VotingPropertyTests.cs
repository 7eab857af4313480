using CsCheck;
using LoraPar.Core;
using LoraPar.Method.Splitter;

namespace LoraPar.Method.Tests.Splitter;

public sealed class VotingPropertyTests
{
    private static readonly Gen<(Vote[] Votes, double[] Weights, TieBreakRule Rule)> Ballots =
        Gen.Select(Gen.Int[1, 3].Array[1, 7], Gen.Double[0.1, 5].Array[7], Gen.Enum<TieBreakRule>())
            .Select((v, w, r) => (v.Select(x => (Vote)x).ToArray(), w[..v.Length], r));

    [Fact]
    public void The_label_never_has_less_weight_than_the_other_system() =>
        Ballots.Sample(b =>
        {
            var d = MajorityVote.Decide(b.Votes, b.Weights, b.Rule, 1, "q");
            var (mine, other) = d.Label == ReasoningSystem.System1 ? (d.System1Weight, d.System2Weight) : (d.System2Weight, d.System1Weight);
            return mine >= other - 1e-9 && d.VotesCast == b.Votes.Count(v => v != Vote.Abstain);
        });

    [Fact]
    public void Reordering_teachers_changes_nothing_except_under_first_teacher() =>
        Ballots.Where(b => b.Rule != TieBreakRule.FirstTeacher).Sample(b =>
        {
            var d = MajorityVote.Decide(b.Votes, b.Weights, b.Rule, 1, "q");
            var r = MajorityVote.Decide(b.Votes.Reverse().ToArray(), b.Weights.Reverse().ToArray(), b.Rule, 1, "q");
            return d.Label == r.Label && d.DecidedBy == r.DecidedBy;
        });

    [Fact]
    public void The_parser_never_throws() =>
        Gen.String.Sample(s => Enum.IsDefined(AnswerParser.Parse(s)));
}

using LoraPar.Core;
using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Stages.Labels;

namespace LoraPar.Pipeline.Tests.Stages.Labels;

public sealed class GroundTruthAgreementTests
{
    private static ItemLabel Label(string id, ReasoningSystem label, params Vote[] votes) => new(id, label, LabelDecision.Majority, 0, 0,
        votes.Select((v, i) => new TeacherVote($"t{i}", TeacherKind.Heuristic, v, v == Vote.Abstain ? AnswerStatus.Failed : AnswerStatus.Answered, "")).ToList());

    [Fact]
    public void Accuracy_confusion_and_per_teacher_agreement_on_a_hand_counted_case()
    {
        // truth: a=1 b=1 c=2 d=2 e=2; labels: a→1 b→2 c→2 d→2 e→1 (3 of 5 agree).
        // t0 votes a1 b2 c2 d2 e1 → 3/5; t1 votes a1 b1 c-abstain d1 e2 → a, b, e right of 4 cast = 0.75.
        IReadOnlyList<ItemLabel> labels =
        [
            Label("a", ReasoningSystem.System1, Vote.System1, Vote.System1),
            Label("b", ReasoningSystem.System2, Vote.System2, Vote.System1),
            Label("c", ReasoningSystem.System2, Vote.System2, Vote.Abstain),
            Label("d", ReasoningSystem.System2, Vote.System2, Vote.System1),
            Label("e", ReasoningSystem.System1, Vote.System1, Vote.System2),
            Label("x", ReasoningSystem.System1, Vote.System1, Vote.System1),
        ];
        var truth = new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["c"] = 2, ["d"] = 2, ["e"] = 2 };
        var agreement = GroundTruthAgreement.Compute(labels, truth)!;
        Assert.Equal((5, 3, 0.6), (agreement.Items, agreement.Agreeing, agreement.Accuracy));
        Assert.Equal(new ConfusionRow(1, 1), agreement.TruthSystem1);
        Assert.Equal(new ConfusionRow(1, 2), agreement.TruthSystem2);
        Assert.Equal([new TeacherAgreement("t0", 5, 0.6), new TeacherAgreement("t1", 4, 0.75)], agreement.Teachers);
    }

    [Fact]
    public void Without_any_ground_truth_there_is_no_agreement()
    {
        Assert.Null(GroundTruthAgreement.Compute([Label("a", ReasoningSystem.System1, Vote.System1)], new Dictionary<string, int>()));
    }
}

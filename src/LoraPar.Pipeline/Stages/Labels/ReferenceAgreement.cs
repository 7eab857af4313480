using LoraPar.Method.Splitter;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Stages.Labels;

/// <summary>
/// How the voted labels and each teacher's votes agree with a free rule (issue: "teacher votes can be checked against it"):
/// <c>[splitter.reference]</c> when configured (it does not vote), else the first <c>calculator-steps</c> teacher of the panel.
/// The rule's System 1 / System 2 plays the ground truth of <see cref="GroundTruthAgreement"/>; questions it abstains on
/// (no reference solution) are left out.
/// </summary>
public sealed record ReferenceAgreement(string Teacher, TeacherKind Kind, GroundTruthAgreement Agreement)
{
    /// <summary>The agreement for <paramref name="labels"/> of <paramref name="items"/>, or null without a reference or a rule vote.</summary>
    public static ReferenceAgreement? Compute(SplitterSection splitter, IReadOnlyList<SplitterItem> items, IReadOnlyList<ItemLabel> labels)
    {
        if (labels.Count == 0) return null;
        string name;
        TeacherKind kind;
        IReadOnlyList<Vote> votes;
        if (splitter.Reference is { } reference)
        {
            (name, kind) = (reference.Name, reference.Kind);
            votes = items.Select(Judge(TeacherPanel.ToConfig(reference))).ToList();
        }
        else
        {
            var seat = labels[0].Votes.ToList().FindIndex(v => v.Kind == TeacherKind.CalculatorSteps);
            if (seat < 0) return null;
            (name, kind) = (labels[0].Votes[seat].Teacher, TeacherKind.CalculatorSteps);
            votes = labels.Select(l => l.Votes[seat].Vote).ToList();
        }
        var truth = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            if (votes[i] != Vote.Abstain) truth[labels[i].Id] = (int)votes[i];
        }
        return GroundTruthAgreement.Compute(labels, truth) is { } agreement ? new ReferenceAgreement(name, kind, agreement) : null;
    }

    private static Func<SplitterItem, Vote> Judge(TeacherConfig rule) => rule switch
    {
        CalculatorStepsTeacherConfig c => item => new CalculatorStepsTeacher(c).Judge(item).Vote,
        HeuristicTeacherConfig h => item => new HeuristicTeacher(h).Judge(item).Vote,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Kind, "a reference is a rule teacher"),
    };
}

using System.Text.Json.Serialization;
using LoraPar.Core;

namespace LoraPar.Method.Splitter;

/// <summary>How many questions got one label, and what fraction of all questions that is.</summary>
public sealed record LabelCount(int Count, double Fraction);

/// <summary>The split between System 1 (D1) and System 2 (D2).</summary>
public sealed record LabelBalance(LabelCount System1, LabelCount System2);

/// <summary>How many labels came from a majority, a tie-break, random labelling, or a labels file's label column.</summary>
/// <remarks><see cref="LabelsFile"/> is written only when not 0, so labels.json of the other methods keeps its shape.</remarks>
public sealed record DecisionCounts(
    int Majority, int TieBreak, int Random, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int LabelsFile = 0);

/// <summary>Abstentions over all teachers and questions, by cause.</summary>
public sealed record AbstentionCounts(int Total, int Unparseable, int Failed, int Skipped);

/// <summary>
/// One teacher's votes: counts by outcome and rates over all questions. <see cref="Heuristic"/> marks a rule, not an LLM;
/// <see cref="Open"/> counts the abstentions (unparseable, failed or skipped) that a later run of the stage asks again.
/// </summary>
public sealed record TeacherSummary(
    string Name, TeacherKind Kind, bool Heuristic, string Location, double Weight,
    int System1, int System2, int Unparseable, int Failed, int Skipped,
    double System1Rate, double System2Rate, double AbstentionRate, int Open = 0);

/// <summary>How often two teachers agree, over the questions both voted on (null when there is none).</summary>
public sealed record PairAgreement(string First, string Second, int Items, double? Agreement);

/// <summary>
/// labels.json (fractions, rates, agreement and κ rounded to 6 decimals): label balance, how labels were decided, per-teacher label rates, pairwise agreement, Fleiss' κ over the
/// questions every teacher voted on, abstention counts, and the teachers that failed.
/// </summary>
public sealed record LabelStatistics(
    SplitterMethod Method, int Items, LabelBalance LabelBalance, DecisionCounts DecidedBy, TieBreakRule TieBreak,
    IReadOnlyList<TeacherSummary> Teachers, IReadOnlyList<PairAgreement> PairwiseAgreement,
    double? FleissKappa, int FleissKappaItems, AbstentionCounts Abstentions, IReadOnlyList<TeacherFailure> FailedTeachers)
{
    /// <summary>
    /// Computes the statistics of <paramref name="labels"/>, whose votes are in the order of <paramref name="teachers"/> (pure).
    /// </summary>
    public static LabelStatistics Compute(
        IReadOnlyList<ItemLabel> labels, IReadOnlyList<TeacherConfig> teachers, IReadOnlyList<TeacherFailure> failures,
        SplitterMethod method, TieBreakRule tieBreak)
    {
        var n = labels.Count;
        double Rate(int count) => n == 0 ? 0 : Round((double)count / n);
        var s1 = labels.Count(l => l.Label == ReasoningSystem.System1);
        var balance = new LabelBalance(new LabelCount(s1, Rate(s1)), new LabelCount(n - s1, Rate(n - s1)));
        var decided = new DecisionCounts(
            labels.Count(l => l.DecidedBy == LabelDecision.Majority),
            labels.Count(l => l.DecidedBy == LabelDecision.TieBreak),
            labels.Count(l => l.DecidedBy == LabelDecision.Random),
            labels.Count(l => l.DecidedBy == LabelDecision.LabelsFile));
        var summaries = teachers.Select((t, i) => Summarise(t, labels.Select(l => l.Votes[i]).ToList(), n)).ToList();
        var abstentions = new AbstentionCounts(
            summaries.Sum(s => s.Unparseable + s.Failed + s.Skipped),
            summaries.Sum(s => s.Unparseable), summaries.Sum(s => s.Failed), summaries.Sum(s => s.Skipped));
        var (kappa, kappaItems) = Kappa(labels, teachers.Count);
        return new LabelStatistics(method, n, balance, decided, tieBreak, summaries, Pairs(labels, teachers),
            kappa, kappaItems, abstentions, failures);
    }

    /// <summary>Fleiss' κ over the questions on which every teacher voted; null with fewer than 2 teachers or where undefined.</summary>
    public static (double? Kappa, int Items) Kappa(IReadOnlyList<ItemLabel> labels, int teacherCount)
    {
        if (teacherCount < 2) return (null, 0);
        var rows = labels
            .Where(l => l.Votes.All(v => v.Vote != Vote.Abstain))
            .Select(l => (IReadOnlyList<int>)[l.Votes.Count(v => v.Vote == Vote.System1), l.Votes.Count(v => v.Vote == Vote.System2)])
            .ToList();
        if (rows.Count == 0) return (null, 0);
        var kappa = Splitter.FleissKappa.Compute(rows);
        return (double.IsNaN(kappa) ? null : Round(kappa), rows.Count);
    }

    /// <summary>Rounds a statistic to 6 decimals, so files read well and compare equal on any machine.</summary>
    public static double Round(double value) => Math.Round(value, 6, MidpointRounding.AwayFromZero);

    private static TeacherSummary Summarise(TeacherConfig teacher, IReadOnlyList<TeacherVote> votes, int n)
    {
        int Count(Func<TeacherVote, bool> p) => votes.Count(p);
        var s1 = Count(v => v.Vote == Vote.System1);
        var s2 = Count(v => v.Vote == Vote.System2);
        var abstained = n - s1 - s2;
        double Rate(int c) => n == 0 ? 0 : Round((double)c / n);
        return new TeacherSummary(teacher.Name, teacher.Kind, teacher.Kind is TeacherKind.Heuristic or TeacherKind.CalculatorSteps,
            teacher.Location, teacher.Weight, s1, s2, Count(v => v.Status == AnswerStatus.Unparseable),
            Count(v => v.Status == AnswerStatus.Failed), Count(v => v.Status == AnswerStatus.Skipped), Rate(s1), Rate(s2),
            Rate(abstained), Count(v => v.Open));
    }

    private static List<PairAgreement> Pairs(IReadOnlyList<ItemLabel> labels, IReadOnlyList<TeacherConfig> teachers)
    {
        var pairs = new List<PairAgreement>();
        for (var a = 0; a < teachers.Count; a++)
        {
            for (var b = a + 1; b < teachers.Count; b++)
            {
                int both = 0, same = 0;
                foreach (var l in labels)
                {
                    var (va, vb) = (l.Votes[a].Vote, l.Votes[b].Vote);
                    if (va == Vote.Abstain || vb == Vote.Abstain) continue;
                    both++;
                    if (va == vb) same++;
                }
                pairs.Add(new PairAgreement(teachers[a].Name, teachers[b].Name, both, both == 0 ? null : Round((double)same / both)));
            }
        }
        return pairs;
    }
}

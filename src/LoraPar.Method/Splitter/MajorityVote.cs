using LoraPar.Core;
using System.Text.Json.Serialization;

namespace LoraPar.Method.Splitter;

/// <summary>How a tie between the two systems' vote weights is settled (also when no teacher voted at all).</summary>
public enum TieBreakRule
{
    /// <summary>A tie goes to System 1.</summary>
    [JsonStringEnumMemberName("system1")] System1,

    /// <summary>A tie goes to System 2 (the default: a question teachers cannot agree on is rarely one to answer directly).</summary>
    [JsonStringEnumMemberName("system2")] System2,

    /// <summary>A seeded coin flip per question id: the same question gets the same side on every run.</summary>
    [JsonStringEnumMemberName("random")] Random,

    /// <summary>The vote of the first teacher (in configured order) that did not abstain; a seeded coin flip if none voted.</summary>
    [JsonStringEnumMemberName("first_teacher")] FirstTeacher,
}

/// <summary>How a question's label was reached.</summary>
public enum LabelDecision
{
    /// <summary>One system had more vote weight.</summary>
    [JsonStringEnumMemberName("majority")] Majority,

    /// <summary>The weights were equal (or no teacher voted) and the tie-break rule chose.</summary>
    [JsonStringEnumMemberName("tie_break")] TieBreak,

    /// <summary>Random labelling (Table 1's control); no teacher was asked.</summary>
    [JsonStringEnumMemberName("random")] Random,

    /// <summary>Given as a label by the user's labels file (<see cref="SplitterMethod.LabelsFile"/>).</summary>
    [JsonStringEnumMemberName("labels_file")] LabelsFile,
}

/// <summary>The outcome of a vote: the label, how it was reached, the weight behind each system and how many teachers voted.</summary>
public sealed record VoteDecision(ReasoningSystem Label, LabelDecision DecidedBy, double System1Weight, double System2Weight, int VotesCast);

/// <summary>Weighted majority voting over teachers (paper §3.2); abstentions carry no weight.</summary>
public static class MajorityVote
{
    /// <summary>Relative tolerance under which two weight sums count as equal.</summary>
    public const double TieTolerance = 1e-9;

    /// <summary>
    /// Decides one question. <paramref name="votes"/> and <paramref name="weights"/> are in teacher order;
    /// <paramref name="seed"/> and <paramref name="itemId"/> drive the seeded coin flip of <see cref="TieBreakRule.Random"/>.
    /// </summary>
    public static VoteDecision Decide(
        IReadOnlyList<Vote> votes, IReadOnlyList<double> weights, TieBreakRule tieBreak, long seed, string itemId)
    {
        if (votes.Count != weights.Count)
            throw new ArgumentException($"{votes.Count} votes but {weights.Count} weights", nameof(weights));
        double w1 = 0, w2 = 0;
        var cast = 0;
        for (var i = 0; i < votes.Count; i++)
        {
            if (!(weights[i] > 0) || double.IsInfinity(weights[i]))
                throw new ArgumentOutOfRangeException(nameof(weights), $"weight {i} is {weights[i]}; weights must be positive and finite");
            if (votes[i] == Vote.System1) { w1 += weights[i]; cast++; }
            else if (votes[i] == Vote.System2) { w2 += weights[i]; cast++; }
        }
        var tied = Math.Abs(w1 - w2) <= TieTolerance * Math.Max(1.0, w1 + w2);
        if (!tied)
            return new VoteDecision(w1 > w2 ? ReasoningSystem.System1 : ReasoningSystem.System2, LabelDecision.Majority, w1, w2, cast);
        return new VoteDecision(BreakTie(votes, tieBreak, seed, itemId), LabelDecision.TieBreak, w1, w2, cast);
    }

    /// <summary>The label <paramref name="rule"/> gives to a tied question.</summary>
    public static ReasoningSystem BreakTie(IReadOnlyList<Vote> votes, TieBreakRule rule, long seed, string itemId) => rule switch
    {
        TieBreakRule.System1 => ReasoningSystem.System1,
        TieBreakRule.System2 => ReasoningSystem.System2,
        TieBreakRule.Random => CoinFlip(seed, itemId),
        TieBreakRule.FirstTeacher => votes.Select(Votes.Label).FirstOrDefault(l => l is not null) ?? CoinFlip(seed, itemId),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown tie-break rule"),
    };

    private static ReasoningSystem CoinFlip(long seed, string itemId) =>
        StableHash.Uniform(seed, "tie-break\u001f" + itemId) < 0.5 ? ReasoningSystem.System1 : ReasoningSystem.System2;
}

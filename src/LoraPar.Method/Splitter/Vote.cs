using LoraPar.Core;
using System.Text.Json.Serialization;

namespace LoraPar.Method.Splitter;

/// <summary>One teacher's vote on one question; <see cref="Abstain"/> when it gave no usable answer.</summary>
public enum Vote
{
    [JsonStringEnumMemberName("system1")] System1 = 1,
    [JsonStringEnumMemberName("system2")] System2 = 2,
    [JsonStringEnumMemberName("abstain")] Abstain = 3,
}

/// <summary>What became of one question put to one teacher.</summary>
public enum AnswerStatus
{
    /// <summary>The teacher answered and the answer named a system.</summary>
    [JsonStringEnumMemberName("answered")] Answered,

    /// <summary>The teacher answered, but the answer named neither system (or both): an abstention.</summary>
    [JsonStringEnumMemberName("unparseable")] Unparseable,

    /// <summary>Every attempt failed (timeouts, HTTP errors, malformed bodies): an abstention.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Not asked: the teacher had already been taken out of the run after repeated failures.</summary>
    [JsonStringEnumMemberName("skipped")] Skipped,
}

/// <summary>Conversions between <see cref="Vote"/> and <see cref="ReasoningSystem"/>.</summary>
public static class Votes
{
    /// <summary>The vote for <paramref name="label"/>.</summary>
    public static Vote For(ReasoningSystem label) => label == ReasoningSystem.System1 ? Vote.System1 : Vote.System2;

    /// <summary>The label a vote names, or null for an abstention.</summary>
    public static ReasoningSystem? Label(Vote vote) => vote switch
    {
        Vote.System1 => ReasoningSystem.System1,
        Vote.System2 => ReasoningSystem.System2,
        _ => null,
    };
}

using LoraPar.Training.Grpo;

namespace LoraPar.Training.Tests.Grpo.Rewards;

/// <summary>Prompt sources for reward tests: only the gold answer matters (and, where given, the row's options).</summary>
internal static class RewardExamples
{
    /// <summary>One example per gold answer, without options.</summary>
    public static IReadOnlyList<GrpoExample> Of(params string[] golds) => golds.Select(g => new GrpoExample("", g)).ToList();
}

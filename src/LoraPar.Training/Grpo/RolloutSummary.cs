using LoraPar.Model.Generation;
using LoraPar.Training.Grpo.Rewards;

namespace LoraPar.Training.Grpo;

/// <summary>Mean and unbiased standard deviation of one reward over a rollout's completions.</summary>
public sealed record RewardStatistics(double Mean, double Std)
{
    /// <summary>The statistics of <paramref name="values"/> (std 0 for fewer than two values).</summary>
    public static RewardStatistics Of(IReadOnlyList<double> values)
    {
        var mean = GroupAdvantages.Mean(values);
        return new RewardStatistics(mean, values.Count < 2 ? 0.0 : GroupAdvantages.UnbiasedStd(values, mean));
    }
}

/// <summary>What one rollout sampled, for the logs.</summary>
/// <param name="Completions">Completions sampled (prompts × G).</param>
/// <param name="CompletionTokens">Tokens sampled over all completions (EOS included).</param>
/// <param name="MeanCompletionLength">Mean completion length in tokens.</param>
/// <param name="TruncatedFraction">Share of completions cut at the maximum completion length without EOS.</param>
/// <param name="Total">The summed reward GRPO optimises.</param>
/// <param name="PerFunction">Each reward function's own values, by log name.</param>
/// <param name="Accuracy">Share of correct completions (correctness reward &gt; 0), or null when no function judges correctness.</param>
/// <param name="ZeroStdFraction">Share of groups whose rewards were all equal (no learning signal).</param>
public sealed record RolloutSummary(int Completions, long CompletionTokens, double MeanCompletionLength, double TruncatedFraction,
    RewardStatistics Total, IReadOnlyDictionary<string, RewardStatistics> PerFunction, double? Accuracy, double ZeroStdFraction)
{
    internal static RolloutSummary Of(IReadOnlyList<GeneratedText> generated, RewardScores scores, AdvantageBatch advantages)
    {
        var tokens = generated.Sum(g => (long)g.TokenIds.Count);
        return new RolloutSummary(
            generated.Count,
            tokens,
            (double)tokens / generated.Count,
            generated.Count(g => g.Finish == FinishReason.Length) / (double)generated.Count,
            RewardStatistics.Of(scores.Total),
            scores.PerFunction.ToDictionary(kv => kv.Key, kv => RewardStatistics.Of(kv.Value)),
            scores.Correct is { } correct ? correct.Count(c => c) / (double)correct.Length : null,
            advantages.FractionZeroStdGroups);
    }
}

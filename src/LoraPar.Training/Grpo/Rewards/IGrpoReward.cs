namespace LoraPar.Training.Grpo.Rewards;

/// <summary>The rewards of a batch of completions, as the GRPO trainer consumes and logs them.</summary>
/// <param name="PerFunction">Each reward function's own value per completion (unweighted), by log name, e.g. <c>correctness</c>.</param>
/// <param name="Total">The reward GRPO turns into advantages, one per completion.</param>
/// <param name="Correct">Whether each completion's answer is correct (the accuracy figure), or null when no function judges correctness.</param>
public sealed record RewardScores(IReadOnlyDictionary<string, double[]> PerFunction, double[] Total, bool[]? Correct);

/// <summary>
/// Scores completions for GRPO. <see cref="WeightedRewards"/> is the authors' summed rewards; a toy task or another data set
/// plugs in its own.
/// </summary>
public interface IGrpoReward
{
    /// <summary>Scores <paramref name="completions"/>; <paramref name="examples"/>[i] is the prompt source of completion i (its gold answer, and its options).</summary>
    RewardScores Score(IReadOnlyList<string> completions, IReadOnlyList<GrpoExample> examples);
}

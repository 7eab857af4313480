using System.Text.Json;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// The authors' rewards as an <see cref="IGrpoReward"/>: the functions <see cref="RewardWeights"/> enables, read as
/// <see cref="RewardRules"/> says, summed with their weights. Log names are the snake-case kinds (<c>correctness</c>, <c>hash_correctness</c>, <c>integer_answer</c>,
/// <c>strict_format</c>, <c>soft_format</c>, <c>xml_tag_count</c>). A completion counts as correct when the
/// <c>&lt;answer&gt;</c> correctness reward (or, when that one is off, the <c>####</c> one) is positive.
/// </summary>
public sealed class WeightedRewards(RewardWeights weights, RewardRules rules) : IGrpoReward
{
    private readonly RewardSet set = new(weights, rules);

    /// <summary>The log name of <paramref name="kind"/>.</summary>
    public static string NameOf(RewardKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    /// <inheritdoc />
    public RewardScores Score(IReadOnlyList<string> completions, IReadOnlyList<GrpoExample> examples)
    {
        var batch = set.Score(completions, examples.Select(e => e.Gold).ToList());
        var judge = batch.PerFunction.TryGetValue(RewardKind.Correctness, out var xml) ? xml
            : batch.PerFunction.GetValueOrDefault(RewardKind.HashCorrectness);
        return new RewardScores(
            batch.PerFunction.ToDictionary(kv => NameOf(kv.Key), kv => kv.Value),
            batch.Total,
            judge?.Select(v => v > 0).ToArray());
    }
}

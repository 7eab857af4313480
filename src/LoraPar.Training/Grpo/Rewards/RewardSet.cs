using LoraPar.Core.Settings;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>The rewards of a batch of completions: each enabled function's own (unweighted) values, and the weighted total.</summary>
/// <param name="PerFunction">For each enabled kind, one value per completion, before weighting (for logging mean/std per function).</param>
/// <param name="Total">Σ_kind weight(kind) · value(kind), one per completion: the reward GRPO normalises into advantages.</param>
public sealed record RewardBatch(IReadOnlyDictionary<RewardKind, double[]> PerFunction, double[] Total);

/// <summary>Scores completions with the reward functions enabled by <see cref="Weights"/>.</summary>
public sealed class RewardSet
{
    /// <summary>Creates the set; throws <see cref="LoraPar.Core.BadInputException"/> for invalid weights.</summary>
    /// <param name="weights">The weights.</param>
    /// <param name="rules">Which reading of the functions (<see cref="RewardRules.Authors"/> or <see cref="RewardRules.Lorapar"/>; not auto).</param>
    public RewardSet(RewardWeights weights, RewardRules rules)
    {
        if (rules == RewardRules.Auto) throw new ArgumentException("resolve auto reward rules for the data first", nameof(rules));
        Weights = weights.Validated("rl.rewards");
        Rules = rules;
    }

    /// <summary>Which reading of the reward functions.</summary>
    public RewardRules Rules { get; }

    /// <summary>The weights.</summary>
    public RewardWeights Weights { get; }

    /// <summary>The value of one reward function for one completion and its gold answer (a number such as "18") under <paramref name="rules"/>.</summary>
    public static double Score(RewardKind kind, string completion, string gold, RewardRules rules) => kind switch
    {
        RewardKind.Correctness => CorrectnessReward.Score(completion, gold, rules),
        RewardKind.HashCorrectness => HashCorrectnessReward.Score(completion, gold),
        RewardKind.IntegerAnswer => IntegerAnswerReward.Score(completion, rules),
        RewardKind.StrictFormat => StrictFormatReward.Score(completion, rules),
        RewardKind.SoftFormat => SoftFormatReward.Score(completion, rules),
        RewardKind.XmlTagCount => XmlTagCountReward.Score(completion, rules),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Scores a batch; <paramref name="golds"/>[i] is the gold number of <paramref name="completions"/>[i].</summary>
    public RewardBatch Score(IReadOnlyList<string> completions, IReadOnlyList<string> golds)
    {
        if (completions.Count != golds.Count)
            throw new ArgumentException($"{completions.Count} completions but {golds.Count} gold answers; give one gold answer per completion.", nameof(golds));
        var perFunction = new Dictionary<RewardKind, double[]>();
        var total = new double[completions.Count];
        foreach (var kind in Weights.Enabled)
        {
            var values = new double[completions.Count];
            var weight = Weights.Of(kind);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Score(kind, completions[i], golds[i], Rules);
                total[i] += weight * values[i];
            }
            perFunction[kind] = values;
        }
        return new RewardBatch(perFunction, total);
    }
}

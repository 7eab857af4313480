namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// GRPO's rewards on instruction and code data (a reference response instead of a gold number): the authors' sum with the
/// correctness term replaced by <see cref="ReferenceOverlapReward"/> (weighted by <see cref="RewardWeights.Correctness"/>)
/// and the number-only terms (<c>integer_answer</c>, <c>hash_correctness</c>) left out; the format terms (strict, soft, XML
/// tag count) are the authors', with their weights. Log names: <c>reference_overlap</c> and the format kinds' names. A
/// completion counts as correct when its answer reproduces the reference's tokens exactly (ROUGE-L F1 = 1).
/// </summary>
public sealed class ReferenceRewards : IGrpoReward
{
    /// <summary>The log name of the overlap term.</summary>
    public const string OverlapName = "reference_overlap";

    /// <summary>The authors' terms that apply to a free-text answer.</summary>
    public static IReadOnlyList<RewardKind> FormatKinds { get; } = [RewardKind.StrictFormat, RewardKind.SoftFormat, RewardKind.XmlTagCount];

    private readonly RewardWeights weights;
    private readonly RewardRules rules;

    /// <summary>Creates the rewards (format terms read as <paramref name="rules"/> says); throws <see cref="LoraPar.Core.BadInputException"/> when no term applying to free text has a weight.</summary>
    public ReferenceRewards(RewardWeights weights, RewardRules rules)
    {
        if (Problem(weights) is { } problem) throw new LoraPar.Core.BadInputException($"rl.rewards: {problem}");
        this.weights = weights;
        this.rules = rules;
    }

    /// <summary>Why <paramref name="weights"/> give free-text data no reward signal, or null when some term applies.</summary>
    public static string? Problem(RewardWeights weights) =>
        weights.Correctness == 0 && FormatKinds.All(k => weights.Of(k) == 0)
            ? "on instruction and code data GRPO is rewarded by reference overlap (weight correctness) and the format rewards "
              + "(strict_format, soft_format, xml_tag_count), and all of these are 0; give one of them a non-zero weight"
            : null;

    /// <inheritdoc />
    public RewardScores Score(IReadOnlyList<string> completions, IReadOnlyList<GrpoExample> examples)
    {
        var golds = examples.Select(e => e.Gold).ToList();
        if (completions.Count != golds.Count)
            throw new ArgumentException($"{completions.Count} completions but {golds.Count} references; give one reference per completion.", nameof(examples));
        var perFunction = new Dictionary<string, double[]>();
        var total = new double[completions.Count];
        bool[]? correct = null;
        if (weights.Correctness != 0)
        {
            var overlap = Term(completions, golds, ReferenceOverlapReward.Score, weights.Correctness, total);
            perFunction[OverlapName] = overlap;
            correct = overlap.Select(v => v == ReferenceOverlapReward.Value).ToArray();
        }
        foreach (var kind in FormatKinds.Where(k => weights.Of(k) != 0))
            perFunction[WeightedRewards.NameOf(kind)] = Term(completions, golds, (c, g) => RewardSet.Score(kind, c, g, rules), weights.Of(kind), total);
        return new RewardScores(perFunction, total, correct);
    }

    private static double[] Term(IReadOnlyList<string> completions, IReadOnlyList<string> golds, Func<string, string, double> score,
        double weight, double[] total)
    {
        var values = new double[completions.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = score(completions[i], golds[i]);
            total[i] += weight * values[i];
        }
        return values;
    }
}

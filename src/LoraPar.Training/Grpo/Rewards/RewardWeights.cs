using LoraPar.Core;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// Multipliers of each reward function's own value (so correctness contributes 2.0 × weight). The defaults reproduce
/// the authors' sum: correctness on <c>&lt;answer&gt;</c>, integer answer, strict and soft format, XML tag count, each
/// with weight 1; the <c>####</c> correctness variant is off (0). A function with weight 0 is not computed.
/// </summary>
public sealed record RewardWeights
{
    /// <summary>Weight of <see cref="RewardKind.Correctness"/>.</summary>
    public double Correctness { get; init; } = 1.0;

    /// <summary>Weight of <see cref="RewardKind.HashCorrectness"/>.</summary>
    public double HashCorrectness { get; init; }

    /// <summary>Weight of <see cref="RewardKind.IntegerAnswer"/>.</summary>
    public double IntegerAnswer { get; init; } = 1.0;

    /// <summary>Weight of <see cref="RewardKind.StrictFormat"/>.</summary>
    public double StrictFormat { get; init; } = 1.0;

    /// <summary>Weight of <see cref="RewardKind.SoftFormat"/>.</summary>
    public double SoftFormat { get; init; } = 1.0;

    /// <summary>Weight of <see cref="RewardKind.XmlTagCount"/>.</summary>
    public double XmlTagCount { get; init; } = 1.0;

    /// <summary>The weight of <paramref name="kind"/>.</summary>
    public double Of(RewardKind kind) => kind switch
    {
        RewardKind.Correctness => Correctness,
        RewardKind.HashCorrectness => HashCorrectness,
        RewardKind.IntegerAnswer => IntegerAnswer,
        RewardKind.StrictFormat => StrictFormat,
        RewardKind.SoftFormat => SoftFormat,
        RewardKind.XmlTagCount => XmlTagCount,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The kinds with a non-zero weight, in <see cref="RewardKind"/> order.</summary>
    public IReadOnlyList<RewardKind> Enabled => Enum.GetValues<RewardKind>().Where(k => Of(k) != 0.0).ToList();

    /// <summary>Throws <see cref="BadInputException"/> when a weight is not finite or none is enabled.</summary>
    public void Validate()
    {
        var bad = Enum.GetValues<RewardKind>().Where(k => !double.IsFinite(Of(k))).Select(k => $"{k} = {Of(k)}").ToList();
        if (bad.Count > 0)
            throw new BadInputException($"reward weights must be finite numbers: {string.Join(", ", bad)}. Fix the rl.rewards section of the manifest.");
        if (Enabled.Count == 0)
            throw new BadInputException("every reward weight is 0, so GRPO has no signal. Give at least one reward a non-zero weight in the rl.rewards section.");
    }
}

using LoraPar.Core.Settings;

namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// Multipliers of each reward function's own value (so correctness contributes 2.0 × weight). The defaults reproduce
/// the authors' sum: correctness on <c>&lt;answer&gt;</c>, integer answer, strict and soft format, XML tag count, each
/// with weight 1; the <c>####</c> correctness variant is off (0). A function with weight 0 is not computed. The manifest's
/// <c>[rl.rewards]</c> sets these multipliers (1 = the authors' value), e.g. <c>correctness = 0.5</c> scores a right answer 1.0.
/// </summary>
public sealed record RewardWeights : ISettings
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

    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>();
        foreach (var kind in Enum.GetValues<RewardKind>())
            p.Require(double.IsFinite(Of(kind)) && Of(kind) >= 0, KeyOf(kind), $"{Of(kind)}: a weight must be a finite number, 0 or more");
        if (p.Count == 0 && Enabled.Count == 0)
            p.Add(new SettingProblem("correctness", "every reward weight is 0, so GRPO has no signal; give at least one reward a non-zero weight"));
        return p;
    }

    /// <summary>The manifest key of <paramref name="kind"/>'s weight (the snake_case property name).</summary>
    public static string KeyOf(RewardKind kind) => kind switch
    {
        RewardKind.Correctness => "correctness",
        RewardKind.HashCorrectness => "hash_correctness",
        RewardKind.IntegerAnswer => "integer_answer",
        RewardKind.StrictFormat => "strict_format",
        RewardKind.SoftFormat => "soft_format",
        RewardKind.XmlTagCount => "xml_tag_count",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

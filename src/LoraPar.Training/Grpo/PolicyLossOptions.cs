using LoraPar.Core.Settings;

namespace LoraPar.Training.Grpo;

/// <summary>Hyper-parameters of the clipped GRPO objective (TRL's <c>GRPOConfig</c> names: epsilon, epsilon_high, beta, loss_type).</summary>
public sealed record PolicyLossOptions : ISettings
{
    /// <summary>ε: the ratio is clipped below at 1 − ε (TRL's default 0.2).</summary>
    public double Epsilon { get; init; } = 0.2;

    /// <summary>ε_high: the ratio is clipped above at 1 + ε_high; null means ε (DAPO's "clip-higher" uses 0.28).</summary>
    public double? EpsilonHigh { get; init; }

    /// <summary>β: weight of the k3 KL penalty against the reference (TRL's default was 0.04 when the authors' example was written; 0 disables it).</summary>
    public double Beta { get; init; } = 0.04;

    /// <summary>How the per-token loss is reduced.</summary>
    public LossAggregation LossType { get; init; } = LossAggregation.Grpo;

    /// <summary>The upper clipping bound's ε.</summary>
    public double UpperEpsilon => EpsilonHigh ?? Epsilon;

    /// <inheritdoc />
    public IReadOnlyList<SettingProblem> Problems()
    {
        var p = new List<SettingProblem>();
        p.Require(Epsilon >= 0 && Epsilon < 1, "epsilon", $"{Epsilon}: must lie in [0, 1)");
        p.Require(UpperEpsilon >= 0 && double.IsFinite(UpperEpsilon), "epsilon_high", $"{EpsilonHigh}: must be a non-negative number");
        p.Require(Beta >= 0 && double.IsFinite(Beta), "beta", $"{Beta}: the KL weight must be 0 (off) or positive");
        return p;
    }
}

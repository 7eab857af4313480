using LoraPar.Model.Runtime;
using LoraPar.Training.Grpo;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Grpo;

/// <summary>
/// One hand-worked batch: B = 2 completions, T = 2 tokens, old log-probs 0, so ρ = exp(logp):
/// ρ = [[1, 1.5], [0.5, 1]], A = [1, −1], ε = 0.2, mask [[1, 1], [1, 0]].
/// Per-token −min(ρA, clip(ρ)A): [[−1, −1.2], [0.8, 1]] (token (0,1) high-clipped, (1,0) low-clipped).
/// k3 against ref = 0: [[0, 1/1.5 + ln 1.5 − 1], [2 − ln 2 − 1, 0]].
/// </summary>
public sealed class PolicyLossTests
{
    private static readonly double K3Token01 = 1 / 1.5 + Math.Log(1.5) - 1;   // 0.0721318
    private static readonly double K3Token10 = 2 - Math.Log(2) - 1;           // 0.3068528

    public PolicyLossTests() => TorchRuntime.EnsureInitialized();

    private static Tensor T2(params double[] values) => tensor(values, dtype: ScalarType.Float64).reshape(2, 2);   // (B, T)

    private static PolicyLossInputs Inputs(Tensor logp) => new(
        LogProbs: logp,
        OldLogProbs: zeros(2, 2, dtype: ScalarType.Float64),
        ReferenceLogProbs: zeros(2, 2, dtype: ScalarType.Float64),
        Advantages: tensor(new[] { 1.0, -1.0 }, dtype: ScalarType.Float64),
        CompletionMask: tensor(new[] { true, true, true, false }).reshape(2, 2));

    private static Tensor LogP() => T2(0, Math.Log(1.5), Math.Log(0.5), 0).requires_grad_(true);

    [Fact]
    public void Clipped_objective_with_bnpo_matches_the_hand_values_and_clipped_tokens_get_no_gradient()
    {
        using var scope = NewDisposeScope();
        var logp = LogP();
        var result = PolicyLoss.Compute(Inputs(logp), new PolicyLossOptions { Beta = 0, LossType = LossAggregation.Bnpo }, new(4));
        Assert.Equal(-1.4 / 3, result.Loss.item<double>(), 12);
        Assert.Equal(2.0 / 3, result.ClipFraction, 12);
        Assert.Equal(1.0 / 3, result.LowClipFraction, 12);
        Assert.Equal(1.0 / 3, result.HighClipFraction, 12);
        Assert.Equal(1.0, result.MeanRatio, 12);
        Assert.Equal((K3Token01 + K3Token10) / 3, result.MeanKl, 12);
        result.Loss.backward();
        Assert.Equal(new[] { -1.0 / 3, 0, 0, 0 }, logp.grad!.data<double>().ToArray(), new Tolerance(1e-12));
    }

    [Theory]
    [InlineData(LossAggregation.Grpo, -0.15)]             // ((−1 − 1.2)/2 + 0.8/1) / 2
    [InlineData(LossAggregation.Bnpo, -1.4 / 3)]          // (−1 − 1.2 + 0.8) / 3
    [InlineData(LossAggregation.DrGrpo, -1.4 / 8)]        // −1.4 / (B · L) = −1.4 / (2 · 4)
    [InlineData(LossAggregation.Dapo, -1.4 / 3)]          // −1.4 / N, N = this batch's 3 tokens
    public void Each_aggregation_matches_its_formula(LossAggregation aggregation, double expected)
    {
        using var scope = NewDisposeScope();
        var result = PolicyLoss.Compute(Inputs(LogP()), new PolicyLossOptions { Beta = 0, LossType = aggregation }, new(4));
        Assert.Equal(expected, result.Loss.item<double>(), 12);
    }

    [Fact]
    public void Kl_penalty_adds_beta_times_k3_on_completion_tokens()
    {
        using var scope = NewDisposeScope();
        var options = new PolicyLossOptions { Beta = 0.1, LossType = LossAggregation.Bnpo };
        var result = PolicyLoss.Compute(Inputs(LogP()), options, new(4));
        Assert.Equal((-1.4 + 0.1 * (K3Token01 + K3Token10)) / 3, result.Loss.item<double>(), 12);
        var k3 = KlPenalty.K3(zeros(2, 2, dtype: ScalarType.Float64), LogP().detach());
        Assert.Equal(new[] { 0, K3Token01, K3Token10, 0 }, k3.data<double>().ToArray(), new Tolerance(1e-12));
    }

    [Fact]
    public void A_higher_upper_bound_lets_the_large_ratio_through()
    {
        using var scope = NewDisposeScope();
        var options = new PolicyLossOptions { Beta = 0, LossType = LossAggregation.Bnpo, EpsilonHigh = 0.6 };
        var result = PolicyLoss.Compute(Inputs(LogP()), options, new(4));
        Assert.Equal((-1 - 1.5 + 0.8) / 3, result.Loss.item<double>(), 12);
        Assert.Equal(0.0, result.HighClipFraction);
        Assert.Equal(1.0 / 3, result.ClipFraction, 12);
    }

    [Fact]
    public void Without_old_log_probs_the_ratio_is_one_and_the_gradient_is_minus_the_advantage()
    {
        using var scope = NewDisposeScope();
        var logp = LogP();
        var inputs = Inputs(logp) with { OldLogProbs = null };
        var result = PolicyLoss.Compute(inputs, new PolicyLossOptions { Beta = 0, LossType = LossAggregation.Bnpo }, new(4));
        Assert.Equal((-1 - 1 + 1) / 3.0, result.Loss.item<double>(), 12);
        Assert.Equal(0.0, result.ClipFraction);
        result.Loss.backward();
        Assert.Equal(new[] { -1.0 / 3, -1.0 / 3, 1.0 / 3, 0 }, logp.grad!.data<double>().ToArray(), new Tolerance(1e-12));
    }

    [Fact]
    public void Missing_reference_with_beta_and_mismatched_shapes_are_refused()
    {
        using var scope = NewDisposeScope();
        var noRef = Inputs(LogP()) with { ReferenceLogProbs = null };
        Assert.Contains("reference", Assert.Throws<ArgumentException>(() => PolicyLoss.Compute(noRef, new PolicyLossOptions { Beta = 0.04 }, new(4))).Message);
        var badAdvantages = Inputs(LogP()) with { Advantages = zeros(3, dtype: ScalarType.Float64) };
        Assert.Throws<ArgumentException>(() => PolicyLoss.Compute(badAdvantages, new PolicyLossOptions(), new(4)));
        var badMask = Inputs(LogP()) with { CompletionMask = ones(2, 3) };
        Assert.Throws<ArgumentException>(() => PolicyLoss.Compute(badMask, new PolicyLossOptions(), new(4)));
    }
}

public sealed class PolicyLossFloat32Tests
{
    public PolicyLossFloat32Tests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Float32_inputs_with_a_float_mask_give_the_same_values_as_float64()
    {
        using var scope = NewDisposeScope();
        var logp = tensor(new[] { 0f, MathF.Log(1.5f), MathF.Log(0.5f), 0f }).reshape(2, 2).requires_grad_(true);   // (B, T)
        var inputs = new PolicyLossInputs(logp, zeros(2, 2), zeros(2, 2), tensor(new[] { 1f, -1f }),
            tensor(new[] { 1f, 1f, 1f, 0f }).reshape(2, 2));
        var result = PolicyLoss.Compute(inputs, new PolicyLossOptions { Beta = 0.1, LossType = LossAggregation.Grpo }, new(4));
        var k3 = new[] { 1 / 1.5 + Math.Log(1.5) - 1, 2 - Math.Log(2) - 1 };
        // Grpo: row 0 (−1 + (−1.2 + 0.1 k3₀₁)) / 2, row 1 (0.8 + 0.1 k3₁₀) / 1, then the mean of the rows.
        var expected = ((-2.2 + 0.1 * k3[0]) / 2 + (0.8 + 0.1 * k3[1])) / 2;
        Assert.Equal(ScalarType.Float32, result.Loss.dtype);
        Assert.Equal(expected, result.Loss.ToDouble(), 6);
        Assert.Equal(2.0 / 3, result.ClipFraction, 6);
        Assert.Equal((k3[0] + k3[1]) / 3, result.MeanKl, 6);
    }
}

using static TorchSharp.torch;

namespace LoraPar.Training.Guards;

/// <summary>
/// Watches the trained LoRA tensors across optimizer steps: after each update every tensor must be finite, and its
/// largest magnitude may grow at most <c>max_update_ratio</c>-fold over the step, measured against at least
/// <see cref="Floor"/> (so a tensor that starts at zero, like LoRA B, may take its first normal steps). A stop names the
/// stage, the step and the tensor; the step's weights are never checkpointed or committed.
/// </summary>
public sealed class UpdateGuard
{
    /// <summary>The smallest magnitude a growth is measured against.</summary>
    public const double Floor = 1e-2;

    private readonly IReadOnlyList<(string Name, Tensor Tensor)> tensors;
    private readonly double maxRatio;
    private float[] before;

    /// <summary>Starts watching <paramref name="parameters"/>, allowing a growth of at most <paramref name="maxRatio"/> per step.</summary>
    public UpdateGuard(IReadOnlyDictionary<string, TorchSharp.Modules.Parameter> parameters, double maxRatio)
    {
        tensors = parameters.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, (Tensor)kv.Value)).ToList();
        this.maxRatio = maxRatio;
        before = Magnitudes();
    }

    /// <summary>
    /// Throws (via <see cref="NonFiniteGuard.Stop"/>) when an updated tensor is not finite or grew more than allowed at
    /// 1-based step <paramref name="step"/>; otherwise the current magnitudes become the next step's reference.
    /// </summary>
    public void Check(string stage, int step, int totalSteps, string? lastCheckpoint, GuardAdvice advice)
    {
        var after = Magnitudes();
        for (var i = 0; i < tensors.Count; i++)
        {
            var name = tensors[i].Name;
            if (!float.IsFinite(after[i]))
                throw NonFiniteGuard.Stop($"parameter {name} became non-finite", stage, step, totalSteps, lastCheckpoint, advice.ForNonFinite);
            var ratio = after[i] / Math.Max(before[i], Floor);
            if (ratio > maxRatio)
                throw NonFiniteGuard.Stop(FormattableString.Invariant(
                    $"an update grew parameter {name} {ratio:G3}-fold (largest magnitude {before[i]:G3} -> {after[i]:G3}, max_update_ratio {maxRatio:G4})"),
                    stage, step, totalSteps, lastCheckpoint, advice.ForGrowth);
        }
        before = after;
    }

    /// <summary>The largest magnitude of each tensor (∞ or NaN when it holds one), in one transfer.</summary>
    private float[] Magnitudes()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // max propagates NaN, so a tensor holding one reads NaN
        return stack(tensors.Select(t => t.Tensor.detach().abs().max().to(ScalarType.Float32)).ToArray()).cpu().data<float>().ToArray();  // (N)
    }
}

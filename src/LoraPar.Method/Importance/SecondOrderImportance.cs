using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// The importance of a LoRA element (paper §3.3, eq. 1–3): the second-order Taylor estimate of the loss change when the
/// element is removed, I(φ) = | ḡ φ − ½ F̂ φ² |, with ḡ = (1/N) Σₖ ∂Lₖ/∂φ the mean gradient and F̂ = (1/N) Σₖ (∂Lₖ/∂φ)² the
/// diagonal empirical Fisher over N examples of one system. All arithmetic is float64; results are float64.
/// </summary>
public static class SecondOrderImportance
{
    /// <summary>
    /// I from running sums over N examples: <paramref name="gradientSum"/> = Σₖ gₖ and <paramref name="squareSum"/> = Σₖ gₖ²,
    /// both shaped like <paramref name="parameter"/> φ.
    /// </summary>
    public static Tensor FromMoments(Tensor gradientSum, Tensor squareSum, long count, Tensor parameter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1L);
        RequireSameShape(gradientSum, parameter, nameof(gradientSum));
        RequireSameShape(squareSum, parameter, nameof(squareSum));
        using var scope = NewDisposeScope();
        var phi = parameter.detach().to(ScalarType.Float64);
        var meanGradient = gradientSum.to(ScalarType.Float64).Over(count);   // ḡ, shape of φ
        var fisher = squareSum.to(ScalarType.Float64).Over(count);           // F̂ (diagonal), shape of φ
        var score = (meanGradient * phi - fisher.Times(0.5) * phi * phi).abs();
        return score.MoveToOuterDisposeScope();
    }

    /// <summary>I from per-example gradients stacked on dim 0: <paramref name="perExample"/> is (N, ...shape of φ).</summary>
    public static Tensor FromPerExampleGradients(Tensor perExample, Tensor parameter)
    {
        if (perExample.dim() != parameter.dim() + 1 || !perExample.shape.Skip(1).SequenceEqual(parameter.shape))
            throw new ArgumentException(
                $"per-example gradients of shape ({string.Join(", ", perExample.shape)}) do not stack gradients of a " +
                $"parameter of shape ({string.Join(", ", parameter.shape)}) on dim 0", nameof(perExample));
        using var scope = NewDisposeScope();
        var g = perExample.detach().to(ScalarType.Float64);   // (N, ...)
        var score = FromMoments(g.sum(dim: 0), g.Squared().sum(dim: 0), perExample.shape[0], parameter);
        return score.MoveToOuterDisposeScope();
    }

    private static void RequireSameShape(Tensor t, Tensor parameter, string name)
    {
        if (!t.shape.SequenceEqual(parameter.shape))
            throw new ArgumentException(
                $"{name} has shape ({string.Join(", ", t.shape)}) but the parameter has ({string.Join(", ", parameter.shape)})", name);
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Masks;

/// <summary>
/// Gradient-norm clipping over the active elements only (frozen elements' gradients are ignored by the masked optimizer, so
/// they must not shrink the step either). Same rule as <c>torch.nn.utils.clip_grad_norm_</c>: coefficient
/// min(1, max_norm / (norm + 1e-6)).
/// </summary>
public static class GradientClipping
{
    /// <summary>The L2 norm of all active gradient elements together (tensors without a gradient count as zero).</summary>
    public static double ActiveNorm<T>(IReadOnlyDictionary<string, T> parameters, LoraMaskSet masks) where T : Tensor
    {
        using var scope = NewDisposeScope();
        var sumSquares = 0.0;
        foreach (var (key, p) in parameters)
        {
            var grad = p.grad;
            if (grad is null) continue;
            var g = grad.masked_select(masks.Masks[key]).to_type(ScalarType.Float64);  // (active)
            sumSquares += g.dot(g).item<double>();
        }
        return Math.Sqrt(sumSquares);
    }

    /// <summary>The factor gradients are multiplied by: min(1, <paramref name="maxNorm"/> / (<paramref name="norm"/> + 1e-6)).</summary>
    public static double ClipCoefficient(double norm, double maxNorm) => Math.Min(1.0, maxNorm / (norm + 1e-6));

    /// <summary>Scales the gradients so their active norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static double ClipByGlobalNorm<T>(IReadOnlyDictionary<string, T> parameters, LoraMaskSet masks, double maxNorm) where T : Tensor
    {
        var norm = ActiveNorm(parameters, masks);
        var coefficient = ClipCoefficient(norm, maxNorm);
        if (coefficient >= 1.0) return norm;
        using var noGrad = no_grad();
        using Scalar factor = coefficient;
        foreach (var p in parameters.Values)
        {
            using var grad = p.grad;
            grad?.mul_(factor);
        }
        return norm;
    }
}

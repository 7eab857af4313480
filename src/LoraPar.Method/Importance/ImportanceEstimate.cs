using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// Per-element scores of every <see cref="ImportanceEstimator"/> from the scoring moments of one LoRA tensor: Σₖ gₖ, Σₖ gₖ²
/// over N examples and the parameter φ, all shaped like φ. Pure float64 arithmetic; <see cref="ImportanceEstimator.SecondOrder"/>
/// equals <see cref="SecondOrderImportance.FromMoments"/> bit for bit.
/// </summary>
public static class ImportanceEstimate
{
    /// <summary>
    /// The scores of <paramref name="estimator"/> (float64, shape of φ). <paramref name="randomSeed"/> seeds
    /// <see cref="ImportanceEstimator.Random"/>'s uniform draw (on the CPU, so every device draws the same) and is ignored otherwise.
    /// </summary>
    public static Tensor Of(ImportanceEstimator estimator, Tensor gradientSum, Tensor squareSum, long count, Tensor parameter, long randomSeed = 0)
    {
        if (estimator == ImportanceEstimator.SecondOrder) return SecondOrderImportance.FromMoments(gradientSum, squareSum, count, parameter);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1L);
        using var scope = NewDisposeScope();
        var phi = parameter.detach().to(ScalarType.Float64);
        var meanGradient = gradientSum.to(ScalarType.Float64).Over(count);   // ḡ, shape of φ
        var fisher = squareSum.to(ScalarType.Float64).Over(count);           // F̂ (diagonal), shape of φ
        var score = estimator switch
        {
            ImportanceEstimator.FirstOrder => (meanGradient * phi).abs(),
            ImportanceEstimator.Fisher => fisher.Times(0.5) * phi * phi,
            ImportanceEstimator.Gradient => meanGradient.abs(),
            ImportanceEstimator.Magnitude => phi.abs(),
            ImportanceEstimator.Random => Uniform(phi.shape, randomSeed).to(phi.device),
            _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "not a known importance estimator"),
        };
        return score.MoveToOuterDisposeScope();
    }

    private static Tensor Uniform(long[] shape, long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        return rand(shape, ScalarType.Float64, generator: generator);   // U[0, 1), shape of φ
    }
}

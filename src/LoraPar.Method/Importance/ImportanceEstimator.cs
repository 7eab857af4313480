namespace LoraPar.Method.Importance;

/// <summary>
/// How an element's importance is estimated from the scored examples (manifest <c>importance.estimator</c>). The paper's
/// score is <see cref="SecondOrder"/>; the others are its ablations, compared at equal active counts per LoRA tensor.
/// With ḡ the mean gradient, F̂ the diagonal empirical Fisher and φ the element's value:
/// </summary>
public enum ImportanceEstimator
{
    /// <summary>The paper's eq. 1–3: |ḡφ − ½F̂φ²|.</summary>
    SecondOrder,

    /// <summary>The first-order Taylor term alone: |ḡφ|.</summary>
    FirstOrder,

    /// <summary>The second-order (Fisher) term alone: ½F̂φ².</summary>
    Fisher,

    /// <summary>Gradient magnitude: |ḡ|.</summary>
    Gradient,

    /// <summary>Parameter magnitude: |φ|.</summary>
    Magnitude,

    /// <summary>Uniform random scores (seeded): a random subset of each tensor's size.</summary>
    Random,
}

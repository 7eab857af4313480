namespace LoraPar.Model.Generation;

/// <summary>
/// The model's next-token logits held NaN or ∞, so no distribution could be sampled: <see cref="Sampler"/> stops here
/// instead of handing libtorch's multinomial invalid probabilities. Trainers turn it into a stop naming their step.
/// </summary>
public sealed class NonFiniteLogitsException()
    : InvalidOperationException("the model's next-token probabilities are not finite (NaN or ∞ logits); sampling stopped before libtorch");

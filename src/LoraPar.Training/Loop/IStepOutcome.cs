namespace LoraPar.Training.Loop;

/// <summary>What the shared <see cref="TrainingLoop"/> reads from one optimizer step of any stage.</summary>
internal interface IStepOutcome
{
    /// <summary>The step's loss (NaN/∞ when the forward pass broke down).</summary>
    double Loss { get; }

    /// <summary>Norm of the active gradient elements before clipping (NaN/∞ on overflow).</summary>
    double GradNorm { get; }

    /// <summary>Whether the optimizer updated the weights (false when the loss or the gradient was not finite).</summary>
    bool Updated { get; }
}

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>
/// Learning-rate schedule after linear warm-up. Only the authors' cosine decay is implemented by the trainers
/// (<c>WarmupCosineSchedule</c>); a manifest asking for another schedule is rejected at validation.
/// </summary>
public enum LearningRateSchedule
{
    /// <summary>Cosine decay to 0 (the authors' choice for both stages).</summary>
    Cosine,
}

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>Learning-rate schedule after linear warm-up.</summary>
public enum LearningRateSchedule
{
    /// <summary>Cosine decay to 0 (the authors' choice for both stages).</summary>
    Cosine,

    /// <summary>Linear decay to 0.</summary>
    Linear,

    /// <summary>Constant after warm-up.</summary>
    Constant,
}

namespace LoraPar.Training.Grpo;

/// <summary>How group-centred rewards are scaled into advantages (TRL's <c>scale_rewards</c>).</summary>
public enum ScaleRewards
{
    /// <summary>Divide by the standard deviation of the prompt's own group (the GRPO paper; TRL's default).</summary>
    Group,

    /// <summary>Divide by the standard deviation of all rewards of the batch (more robust when a group's rewards are nearly equal).</summary>
    Batch,

    /// <summary>No division: the advantage is the centred reward (Dr. GRPO's recommendation, which removes the difficulty bias).</summary>
    None,
}

namespace LoraPar.Method.Partition;

/// <summary>How the stage masks are chosen.</summary>
public enum MaskStrategy
{
    /// <summary>LoRA-PAR (Algorithm 1): the θ cut of each system's importance, α/β of the shared set.</summary>
    Importance,

    /// <summary>Table 3 "Rand.": random elements, seeded, with exactly the counts the importance partition has at every level.</summary>
    Random,

    /// <summary>Plain LoRA: every element is active in both stages.</summary>
    Full,
}

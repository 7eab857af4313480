namespace LoraPar.Model.Llama;

/// <summary>How rotary frequencies are stretched for long contexts (<c>rope_scaling.rope_type</c>).</summary>
public enum RopeScalingKind
{
    /// <summary>Every frequency divided by <see cref="RopeScaling.Factor"/> (<c>"linear"</c>).</summary>
    Linear,

    /// <summary>LLaMA-3.1 frequency-dependent scaling (<c>"llama3"</c>).</summary>
    Llama3,
}

/// <summary>The <c>rope_scaling</c> block of config.json.</summary>
public sealed record RopeScaling(
    RopeScalingKind Kind,
    double Factor,
    double LowFreqFactor = 1.0,
    double HighFreqFactor = 4.0,
    int OriginalMaxPositionEmbeddings = 8192)
{
    /// <summary>The <c>rope_type</c> string HF writes for <paramref name="kind"/>.</summary>
    public static string Name(RopeScalingKind kind) => kind switch
    {
        RopeScalingKind.Linear => "linear",
        RopeScalingKind.Llama3 => "llama3",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Parses a <c>rope_type</c>; null when lorapar does not implement it.</summary>
    public static RopeScalingKind? Parse(string name) => name switch
    {
        "linear" => RopeScalingKind.Linear,
        "llama3" => RopeScalingKind.Llama3,
        _ => null,
    };

    /// <summary>Inconsistencies as "key: message".</summary>
    public IEnumerable<string> Problems()
    {
        if (!(Factor > 0)) yield return $"rope_scaling.factor: must be positive, got {Factor}";
        if (Kind != RopeScalingKind.Llama3) yield break;
        if (!(HighFreqFactor > LowFreqFactor))
            yield return $"rope_scaling.high_freq_factor: must exceed low_freq_factor ({HighFreqFactor} <= {LowFreqFactor})";
        if (OriginalMaxPositionEmbeddings <= 0)
            yield return $"rope_scaling.original_max_position_embeddings: must be positive, got {OriginalMaxPositionEmbeddings}";
    }
}

namespace LoraPar.Method.Partition;

/// <summary>The two training stages a partition produces masks for.</summary>
public enum TrainingStage
{
    /// <summary>Stage 1: SFT on System-1 data; Ω1-only plus the α share of the shared set.</summary>
    Stage1 = 1,

    /// <summary>Stage 2: GRPO on System-2 data; Ω2-only plus the β share of the shared set.</summary>
    Stage2 = 2,
}

/// <summary>Key prefixes of <see cref="TrainingStage"/>.</summary>
public static class TrainingStageNames
{
    /// <summary>Both stages in training order.</summary>
    public static IReadOnlyList<TrainingStage> All { get; } = [TrainingStage.Stage1, TrainingStage.Stage2];

    /// <summary>The key prefix in <c>masks.safetensors</c>: <c>stage1</c> or <c>stage2</c>.</summary>
    public static string KeyPrefix(this TrainingStage stage) => stage switch
    {
        TrainingStage.Stage1 => "stage1",
        TrainingStage.Stage2 => "stage2",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "unknown stage"),
    };
}

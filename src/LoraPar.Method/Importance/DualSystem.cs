namespace LoraPar.Method.Importance;

/// <summary>The two kinds of thinking LoRA-PAR partitions parameters for (paper §3.1): fast, direct System 1 and multi-step System 2.</summary>
public enum DualSystem
{
    /// <summary>Fast, intuitive answers (data D1, trained by SFT in stage 1).</summary>
    System1 = 1,

    /// <summary>Multi-step reasoning (data D2, trained by GRPO in stage 2).</summary>
    System2 = 2,
}

/// <summary>Key prefixes and labels of <see cref="DualSystem"/>.</summary>
public static class DualSystemNames
{
    /// <summary>Both systems, System 1 first.</summary>
    public static IReadOnlyList<DualSystem> All { get; } = [DualSystem.System1, DualSystem.System2];

    /// <summary>The key prefix in <c>importance.safetensors</c>: <c>s1</c> or <c>s2</c>.</summary>
    public static string KeyPrefix(this DualSystem system) => system switch
    {
        DualSystem.System1 => "s1",
        DualSystem.System2 => "s2",
        _ => throw new ArgumentOutOfRangeException(nameof(system), system, "unknown system"),
    };

    /// <summary>A human label: <c>System 1</c> or <c>System 2</c>.</summary>
    public static string Label(this DualSystem system) => $"System {(int)system}";
}

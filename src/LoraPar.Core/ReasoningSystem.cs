using System.Text.Json.Serialization;

namespace LoraPar.Core;

/// <summary>
/// The paper's two kinds of thinking (§3.1), which LoRA-PAR gives separate parameter subregions: <see cref="System1"/>
/// questions are answered directly ("fast"; data D1, trained by SFT in stage 1), <see cref="System2"/> questions need
/// multi-step reasoning ("slow"; data D2, trained by GRPO in stage 2). The numeric values are the <c>system</c> field of
/// JSONL rows; the JSON string names are <c>system1</c> and <c>system2</c>.
/// </summary>
public enum ReasoningSystem
{
    /// <summary>Fast, direct answers.</summary>
    [JsonStringEnumMemberName("system1")] System1 = 1,

    /// <summary>Multi-step reasoning.</summary>
    [JsonStringEnumMemberName("system2")] System2 = 2,
}

/// <summary>Key prefixes and labels of <see cref="ReasoningSystem"/>.</summary>
public static class ReasoningSystemNames
{
    /// <summary>Both systems, System 1 first.</summary>
    public static IReadOnlyList<ReasoningSystem> All { get; } = [ReasoningSystem.System1, ReasoningSystem.System2];

    /// <summary>The key prefix in <c>importance.safetensors</c> and in statistics: <c>s1</c> or <c>s2</c>.</summary>
    public static string KeyPrefix(this ReasoningSystem system) => system switch
    {
        ReasoningSystem.System1 => "s1",
        ReasoningSystem.System2 => "s2",
        _ => throw new ArgumentOutOfRangeException(nameof(system), system, "unknown system"),
    };

    /// <summary>A human label: <c>System 1</c> or <c>System 2</c>.</summary>
    public static string Label(this ReasoningSystem system) => $"System {(int)system}";
}

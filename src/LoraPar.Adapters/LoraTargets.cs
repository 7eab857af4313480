using LoraPar.Core;
using LoraPar.Core.Settings;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace LoraPar.Adapters;

/// <summary>The kinds of target selection: the paper's presets, <c>all-linear</c>, or an explicit list of module short names.</summary>
public enum LoraTargetKind
{
    Qkv,
    Gud,
    Qkvgud,
    O,
    AllLinear,
    Explicit,
}

/// <summary>
/// Which Linear modules receive an adapter, matched by the last segment of the module path (PEFT's short-name match):
/// <c>qkv</c> = q/k/v_proj, <c>gud</c> = gate/up/down_proj, <c>qkvgud</c> (the paper's) = both, <c>o</c> = o_proj,
/// <c>all-linear</c> = every Linear except the output head <c>lm_head</c> (as PEFT), or an explicit list.
/// </summary>
public sealed record LoraTargets : ISettingText
{
    private LoraTargets(LoraTargetKind kind, IReadOnlyList<string> shortNames)
    {
        Kind = kind;
        ShortNames = shortNames;
    }

    /// <summary>The kind of selection.</summary>
    public LoraTargetKind Kind { get; }

    /// <summary>The short names matched (empty for <see cref="LoraTargetKind.AllLinear"/>, which matches by type).</summary>
    public IReadOnlyList<string> ShortNames { get; }

    /// <summary>The output head <c>all-linear</c> leaves out.</summary>
    public const string OutputHead = "lm_head";

    public static LoraTargets Qkv { get; } = new(LoraTargetKind.Qkv, ["q_proj", "k_proj", "v_proj"]);
    public static LoraTargets Gud { get; } = new(LoraTargetKind.Gud, ["gate_proj", "up_proj", "down_proj"]);
    public static LoraTargets Qkvgud { get; } = new(LoraTargetKind.Qkvgud, ["q_proj", "k_proj", "v_proj", "gate_proj", "up_proj", "down_proj"]);
    public static LoraTargets O { get; } = new(LoraTargetKind.O, ["o_proj"]);
    public static LoraTargets AllLinear { get; } = new(LoraTargetKind.AllLinear, []);

    /// <summary>An explicit list of module short names, e.g. <c>["q_proj", "v_proj"]</c>.</summary>
    public static LoraTargets Explicit(params IEnumerable<string> shortNames)
    {
        var names = shortNames.Select(n => n.Trim()).Distinct().ToArray();
        if (names.Length == 0 || names.Any(n => n.Length == 0 || n.Contains('.')))
            throw new BadInputException($"target_modules [{string.Join(", ", names)}]: give one or more module short names such as \"q_proj\" (no dots)");
        return new(LoraTargetKind.Explicit, names);
    }

    /// <summary>Parses a preset name (<c>qkv</c>, <c>gud</c>, <c>qkvgud</c>, <c>o</c>, <c>all-linear</c>).</summary>
    public static LoraTargets Parse(string preset) => preset.Trim().ToLowerInvariant() switch
    {
        "qkv" => Qkv,
        "gud" => Gud,
        "qkvgud" => Qkvgud,
        "o" => O,
        "all-linear" => AllLinear,
        _ => throw new BadInputException($"unknown LoRA target preset '{preset}': use qkv, gud, qkvgud, o, all-linear, or a list of module names"),
    };

    /// <summary>
    /// A manifest's <c>targets</c>: one preset name (<c>"qkvgud"</c>), or module short names as a list or comma-separated
    /// (<c>["q_proj", "o_proj"]</c>, <c>"q_proj,o_proj"</c>).
    /// </summary>
    public static LoraTargets FromSetting(IReadOnlyList<string> names)
    {
        var parts = names.SelectMany(n => n.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (parts.Count == 1 && IsPreset(parts[0])) return Parse(parts[0]);
        var unknown = parts.Where(p => !LlamaLinears.Contains(p)).ToList();
        if (unknown.Count > 0)
            throw new BadInputException($"unknown value '{string.Join(", ", unknown)}' (not a LoRA target): use a preset (qkv, gud, qkvgud, o, all-linear) "
                                        + $"or LLaMA module names ({string.Join(", ", LlamaLinears)})");
        return Explicit(parts);
    }

    /// <summary>The adapter-able Linear modules of a LLaMA-family decoder layer.</summary>
    public static IReadOnlyList<string> LlamaLinears { get; } = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <inheritdoc />
    public string SettingText => Name;

    private static bool IsPreset(string name) => name.ToLowerInvariant() is "qkv" or "gud" or "qkvgud" or "o" or "all-linear";

    /// <summary>The preset that selects exactly <paramref name="shortNames"/>, else an explicit list (used when reading PEFT configs).</summary>
    public static LoraTargets FromNames(IEnumerable<string> shortNames)
    {
        var set = shortNames.ToHashSet();
        LoraTargets[] presets = [Qkv, Gud, Qkvgud, O];
        return presets.FirstOrDefault(p => p.ShortNames.ToHashSet().SetEquals(set)) ?? Explicit(set.Order());
    }

    /// <summary>The name a manifest uses: the preset name, or the comma-separated list.</summary>
    public string Name => Kind switch
    {
        LoraTargetKind.AllLinear => "all-linear",
        LoraTargetKind.Explicit => string.Join(",", ShortNames),
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Whether the module at <paramref name="path"/> gets an adapter.</summary>
    public bool Matches(string path, Module module)
    {
        var shortName = path[(path.LastIndexOf('.') + 1)..];
        return Kind == LoraTargetKind.AllLinear
            ? module is Linear && shortName != OutputHead
            : ShortNames.Contains(shortName);
    }

    public bool Equals(LoraTargets? other) =>
        other is not null && Kind == other.Kind && ShortNames.SequenceEqual(other.ShortNames);

    public override int GetHashCode() => HashCode.Combine(Kind, string.Join(",", ShortNames));
}

using System.Text.RegularExpressions;
using LoraPar.Core;

namespace LoraPar.Method.Importance;

/// <summary>Which LoRA factor a tensor is: A (shape (r, in)) or B (shape (out, r)).</summary>
public enum LoraFactor
{
    A,
    B,
}

/// <summary>
/// A parsed LoRA tensor key such as <c>model.layers.0.self_attn.q_proj.lora_A</c> (CONVENTIONS.md naming contract).
/// <see cref="Module"/> is the short module name used in statistics (Q K V O G U D), or the last path segment for other modules.
/// Names order by layer, then module (Q K V O G U D, then others by path), then factor: the canonical element order.
/// </summary>
/// <param name="Key">The full key.</param>
/// <param name="ModulePath">The wrapped module's path, e.g. <c>model.layers.0.self_attn.q_proj</c>.</param>
/// <param name="Layer">The decoder layer index, or null for a module outside <c>model.layers</c>.</param>
/// <param name="Module">Short module name: Q K V O G U D, or the module's last path segment.</param>
/// <param name="Factor">A or B.</param>
public sealed partial record LoraTensorName(string Key, string ModulePath, int? Layer, string Module, LoraFactor Factor)
    : IComparable<LoraTensorName>
{
    /// <summary>Short module names in the order statistics list them.</summary>
    public static IReadOnlyList<string> ModuleOrder { get; } = ["Q", "K", "V", "O", "G", "U", "D"];

    private static readonly Dictionary<string, string> ShortNames = new()
    {
        ["q_proj"] = "Q", ["k_proj"] = "K", ["v_proj"] = "V", ["o_proj"] = "O",
        ["gate_proj"] = "G", ["up_proj"] = "U", ["down_proj"] = "D",
    };

    /// <summary>Parses a LoRA tensor key; a key that does not end in <c>.lora_A</c> or <c>.lora_B</c> is bad input.</summary>
    public static LoraTensorName Parse(string key)
    {
        var match = KeyPattern().Match(key);
        if (!match.Success)
            throw new BadInputException(
                $"'{key}' is not a LoRA tensor key: expected '{{module path}}.lora_A' or '{{module path}}.lora_B', " +
                "e.g. 'model.layers.0.self_attn.q_proj.lora_A'.");
        var path = match.Groups["path"].Value;
        var leaf = path[(path.LastIndexOf('.') + 1)..];
        var layer = LayerPattern().Match(path);
        return new LoraTensorName(
            key,
            path,
            layer.Success ? int.Parse(layer.Groups["i"].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
            ShortNames.GetValueOrDefault(leaf, leaf),
            match.Groups["f"].Value == "A" ? LoraFactor.A : LoraFactor.B);
    }

    /// <summary>Canonical order: layer (modules outside layers last), module order, module path, factor A before B.</summary>
    public int CompareTo(LoraTensorName? other)
    {
        if (other is null) return 1;
        var c = (Layer ?? int.MaxValue).CompareTo(other.Layer ?? int.MaxValue);
        if (c != 0) return c;
        c = ModuleRank(Module).CompareTo(ModuleRank(other.Module));
        if (c != 0) return c;
        c = string.CompareOrdinal(ModulePath, other.ModulePath);
        return c != 0 ? c : Factor.CompareTo(other.Factor);
    }

    /// <summary>Sorts keys into the canonical order.</summary>
    public static IReadOnlyList<string> CanonicalOrder(IEnumerable<string> keys) =>
        keys.Select(Parse).Order().Select(n => n.Key).ToList();

    private static int ModuleRank(string module)
    {
        for (var i = 0; i < ModuleOrder.Count; i++)
            if (ModuleOrder[i] == module) return i;
        return ModuleOrder.Count;
    }

    [GeneratedRegex(@"^(?<path>.+)\.lora_(?<f>[AB])$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"(^|\.)layers\.(?<i>\d+)(\.|$)")]
    private static partial Regex LayerPattern();
}

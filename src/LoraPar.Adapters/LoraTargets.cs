using System.Text.RegularExpressions;
using LoraPar.Core;
using LoraPar.Core.Settings;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace LoraPar.Adapters;

/// <summary>The kinds of target selection: the paper's presets, <c>all-linear</c>, module names or suffixes, or a regular expression.</summary>
public enum LoraTargetKind
{
    Qkv,
    Gud,
    Qkvgud,
    O,
    AllLinear,
    Explicit,
    Regex,
}

/// <summary>
/// Which Linear modules receive an adapter, by PEFT's rules (<c>check_target_module_exists</c>): a list of names matches a
/// module whose path is a name or ends in <c>.</c>name (so <c>q_proj</c>, <c>self_attn.q_proj</c> and
/// <c>model.layers.0.self_attn.q_proj</c> all work); a regular expression must match the whole path (<c>re.fullmatch</c>);
/// <c>all-linear</c> is every Linear except the output head <c>lm_head</c>. The presets are shorthands for name lists:
/// <c>qkv</c> = q/k/v_proj, <c>gud</c> = gate/up/down_proj, <c>qkvgud</c> (the paper's) = both, <c>o</c> = o_proj.
/// </summary>
public sealed record LoraTargets : ISettingText
{
    private LoraTargets(LoraTargetKind kind, IReadOnlyList<string> shortNames, Regex? pattern = null)
    {
        Kind = kind;
        ShortNames = shortNames;
        Pattern = pattern;
    }

    /// <summary>The kind of selection.</summary>
    public LoraTargetKind Kind { get; }

    /// <summary>The names or dotted suffixes matched (empty for <see cref="LoraTargetKind.AllLinear"/> and <see cref="LoraTargetKind.Regex"/>).</summary>
    public IReadOnlyList<string> ShortNames { get; }

    /// <summary>The whole-path expression of a <see cref="LoraTargetKind.Regex"/> selection, else null.</summary>
    public Regex? Pattern { get; }

    /// <summary>The output head <c>all-linear</c> leaves out.</summary>
    public const string OutputHead = "lm_head";

    /// <summary>The characters that make a manifest string a regular expression rather than module names.</summary>
    public const string RegexCharacters = @"*+?()[]{}|^$\";

    public static LoraTargets Qkv { get; } = new(LoraTargetKind.Qkv, ["q_proj", "k_proj", "v_proj"]);
    public static LoraTargets Gud { get; } = new(LoraTargetKind.Gud, ["gate_proj", "up_proj", "down_proj"]);
    public static LoraTargets Qkvgud { get; } = new(LoraTargetKind.Qkvgud, ["q_proj", "k_proj", "v_proj", "gate_proj", "up_proj", "down_proj"]);
    public static LoraTargets O { get; } = new(LoraTargetKind.O, ["o_proj"]);
    public static LoraTargets AllLinear { get; } = new(LoraTargetKind.AllLinear, []);

    /// <summary>Module names or dotted path suffixes, e.g. <c>["q_proj", "layers.0.mlp.down_proj"]</c>.</summary>
    public static LoraTargets Explicit(params IEnumerable<string> names)
    {
        var list = names.Select(n => n.Trim()).Distinct().ToArray();
        if (list.Length == 0 || list.Any(n => n.Length == 0 || n.StartsWith('.') || n.EndsWith('.')))
            throw new BadInputException($"target_modules [{string.Join(", ", list)}]: give one or more module names or dotted suffixes such as \"q_proj\" or \"self_attn.q_proj\"");
        return new(LoraTargetKind.Explicit, list);
    }

    /// <summary>A regular expression (.NET syntax, which covers Python's <c>re</c> for module paths) matched against the whole module path.</summary>
    public static LoraTargets Regex(string pattern)
    {
        try
        {
            return new(LoraTargetKind.Regex, [], new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        }
        catch (ArgumentException e)
        {
            throw new BadInputException($"target_modules \"{pattern}\" is not a valid regular expression ({e.Message})", e);
        }
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
    /// A manifest's <c>targets</c>: one preset name (<c>"qkvgud"</c>); a string holding a regular-expression character
    /// (<see cref="RegexCharacters"/>), matched against the whole module path (<c>".*layers\\.[01]\\..*_proj"</c>); or
    /// module names / dotted suffixes as a list or comma-separated (<c>["q_proj", "o_proj"]</c>, <c>"q_proj,o_proj"</c>).
    /// Each name's last segment must be a Linear module of the LLaMA decoder (or <c>lm_head</c>).
    /// </summary>
    public static LoraTargets FromSetting(IReadOnlyList<string> names)
    {
        if (names is [var single] && single.IndexOfAny(RegexCharacters.ToCharArray()) >= 0) return Regex(single);
        var parts = names.SelectMany(n => n.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (parts.Count == 1 && IsPreset(parts[0])) return Parse(parts[0]);
        var unknown = parts.Where(p => !LlamaLinears.Append(OutputHead).Contains(LastSegment(p))).ToList();
        if (unknown.Count > 0)
            throw new BadInputException($"unknown value '{string.Join(", ", unknown)}' (not a LoRA target): use a preset (qkv, gud, qkvgud, o, all-linear), "
                                        + $"LLaMA module names or suffixes ending in one ({string.Join(", ", LlamaLinears)}, {OutputHead}), or a regular expression");
        return Explicit(parts);
    }

    /// <summary>The adapter-able Linear modules of a LLaMA-family decoder layer.</summary>
    public static IReadOnlyList<string> LlamaLinears { get; } = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <inheritdoc />
    public string SettingText => Name;

    private static bool IsPreset(string name) => name.ToLowerInvariant() is "qkv" or "gud" or "qkvgud" or "o" or "all-linear";

    /// <summary>
    /// The selection a PEFT <c>target_modules</c> list names: the preset that selects exactly <paramref name="names"/>, else
    /// those names (used when reading PEFT configs).
    /// </summary>
    public static LoraTargets FromNames(IEnumerable<string> names)
    {
        var set = names.ToHashSet();
        LoraTargets[] presets = [Qkv, Gud, Qkvgud, O];
        return presets.FirstOrDefault(p => p.ShortNames.ToHashSet().SetEquals(set)) ?? Explicit(set.Order(StringComparer.Ordinal));
    }

    /// <summary>The name a manifest uses: the preset name, the comma-separated list, or the expression.</summary>
    public string Name => Kind switch
    {
        LoraTargetKind.AllLinear => "all-linear",
        LoraTargetKind.Explicit => string.Join(",", ShortNames),
        LoraTargetKind.Regex => PatternText,
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// PEFT's <c>target_modules</c> for adapters on <paramref name="wrappedPaths"/>: the names as given for a list, the
    /// distinct last segments of the wrapped modules for a preset or <c>all-linear</c> (PEFT expands <c>all-linear</c> so).
    /// A regular expression is written as the string itself (see <see cref="PatternText"/>).
    /// </summary>
    public IReadOnlyList<string> PeftNames(IEnumerable<string> wrappedPaths) => Kind == LoraTargetKind.Explicit
        ? ShortNames.Order(StringComparer.Ordinal).ToList()
        : wrappedPaths.Select(LastSegment).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The expression as written (without the anchors added for a whole-path match); "" for other kinds.</summary>
    public string PatternText => Pattern is null ? "" : Pattern.ToString()[4..^2];

    /// <summary>Whether the module at <paramref name="path"/> gets an adapter.</summary>
    public bool Matches(string path, Module module) => Kind == LoraTargetKind.AllLinear
        ? module is Linear && LastSegment(path) != OutputHead
        : MatchesPath(path);

    /// <summary>PEFT's name rule for every kind but <c>all-linear</c> (which also asks the module's type): exact name or <c>.</c>suffix, or a whole-path match.</summary>
    public bool MatchesPath(string path) => Pattern is { } regex
        ? regex.IsMatch(path)
        : ShortNames.Any(name => path == name || path.EndsWith("." + name, StringComparison.Ordinal));

    private static string LastSegment(string path) => path[(path.LastIndexOf('.') + 1)..];

    public bool Equals(LoraTargets? other) =>
        other is not null && Kind == other.Kind && ShortNames.SequenceEqual(other.ShortNames) && PatternText == other.PatternText;

    public override int GetHashCode() => HashCode.Combine(Kind, string.Join(",", ShortNames), PatternText);
}

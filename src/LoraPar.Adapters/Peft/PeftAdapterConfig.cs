using System.Text.Json;
using System.Text.Json.Nodes;
using LoraPar.Core;

namespace LoraPar.Adapters.Peft;

/// <summary>
/// PEFT's <c>adapter_config.json</c> for a LoRA adapter on a causal LM, mapped to and from <see cref="LoraConfig"/>.
/// <c>init_lora_weights</c> is written as PEFT spells it: <c>true</c> for lora, <c>"pissa"</c> / <c>"pissa_niter_n"</c>,
/// <c>"olora"</c>; gaussian-both has no PEFT name and is written as <c>true</c> (PEFT builds the layers, then loads the
/// saved factors over them), so it reads back as <see cref="LoraInit.Kaiming"/>.
/// </summary>
public static class PeftAdapterConfig
{
    /// <summary>The adapter config as PEFT writes it (keys sorted, two-space indent).</summary>
    public static string ToJson(LoraConfig config, IReadOnlyList<string> targetModules, string baseModelNameOrPath)
    {
        var json = new JsonObject
        {
            ["alpha_pattern"] = new JsonObject(),
            ["auto_mapping"] = null,
            ["base_model_name_or_path"] = baseModelNameOrPath,
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = InitValue(config),
            ["layers_pattern"] = null,
            ["layers_to_transform"] = null,
            ["lora_alpha"] = Number(config.Alpha),
            ["lora_dropout"] = config.Dropout,
            ["modules_to_save"] = null,
            ["peft_type"] = "LORA",
            ["r"] = config.R,
            ["rank_pattern"] = new JsonObject(),
            ["revision"] = null,
            ["target_modules"] = config.Targets.Kind == LoraTargetKind.Regex
                ? JsonValue.Create(config.Targets.PatternText)
                : new JsonArray(targetModules.Order(StringComparer.Ordinal).Select(t => (JsonNode?)t).ToArray()),
            ["task_type"] = "CAUSAL_LM",
            ["use_dora"] = false,
            ["use_rslora"] = config.UseRslora,
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 2 });
    }

    /// <summary>Reads an adapter config; anything lorapar cannot reproduce (DoRA, biases, rank patterns, …) is a <see cref="BadInputException"/>.</summary>
    public static (LoraConfig Config, IReadOnlyList<string> TargetModules, string? BaseModel) Parse(string json, string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new BadInputException($"{path}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: not valid JSON ({e.Message})", e);
        }
        Require(root, path, "peft_type", v => v == "LORA", "only LoRA adapters (peft_type \"LORA\") are supported");
        Require(root, path, "bias", v => v is null or "none", "only bias \"none\" is supported");
        Unsupported(root, path, "use_dora", n => n.GetValueKind() == JsonValueKind.True);
        Unsupported(root, path, "fan_in_fan_out", n => n.GetValueKind() == JsonValueKind.True);
        Unsupported(root, path, "modules_to_save", n => n is JsonArray { Count: > 0 });
        Unsupported(root, path, "rank_pattern", n => n is JsonObject { Count: > 0 });
        Unsupported(root, path, "alpha_pattern", n => n is JsonObject { Count: > 0 });
        var targets = Targets(root, path);
        var (init, niter) = ParseInit(root["init_lora_weights"], path);
        var config = new LoraConfig
        {
            R = Get(root, path, "r", n => n.GetValue<int>()),
            Alpha = Get(root, path, "lora_alpha", n => n.GetValue<double>()),
            Dropout = root["lora_dropout"]?.GetValue<double>() ?? 0,
            UseRslora = root["use_rslora"]?.GetValue<bool>() ?? false,
            Init = init,
            PissaNiter = niter,
            Targets = targets,
        };
        var problems = config.Problems();
        if (problems.Count > 0) throw new BadInputException($"{path}: {string.Join("; ", problems)}");
        return (config, TargetList(root), root["base_model_name_or_path"]?.GetValue<string>());
    }

    /// <summary>PEFT's <c>init_lora_weights</c> value for <paramref name="config"/>.</summary>
    public static JsonNode InitValue(LoraConfig config) => config.Init switch
    {
        LoraInit.Pissa when config.PissaNiter is { } n => JsonValue.Create($"pissa_niter_{n}"),
        LoraInit.Pissa => JsonValue.Create("pissa"),
        LoraInit.Olora => JsonValue.Create("olora"),
        _ => JsonValue.Create(true),
    };

    private static (LoraInit, int?) ParseInit(JsonNode? node, string path)
    {
        if (node is null || node.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return (LoraInit.Kaiming, null);
        var text = node.GetValue<string>();
        if (text is "gaussian" or "eva" or "orthogonal") return (LoraInit.Kaiming, null);   // base weights untouched: the saved factors are the adapter
        if (text == "pissa") return (LoraInit.Pissa, null);
        if (text == "olora") return (LoraInit.Olora, null);
        if (text.StartsWith("pissa_niter_", StringComparison.Ordinal) && int.TryParse(text["pissa_niter_".Length..], out var n)) return (LoraInit.Pissa, n);
        throw new BadInputException($"{path}: init_lora_weights \"{text}\" changes the base model in a way lorapar does not reproduce; " +
            "supported: true, \"gaussian\", \"pissa\", \"pissa_niter_<n>\", \"olora\"");
    }

    /// <summary>PEFT's rules: a list names modules (or suffixes), a string is a regular expression unless it is <c>all-linear</c>.</summary>
    private static LoraTargets Targets(JsonObject root, string path) => root["target_modules"] switch
    {
        JsonArray list when list.Count > 0 => LoraTargets.FromNames(list.Select(n => n?.GetValue<string>() ?? "")),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Equals("all-linear", StringComparison.OrdinalIgnoreCase) => LoraTargets.AllLinear,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => LoraTargets.Regex(v.GetValue<string>()),
        _ => throw new BadInputException($"{path}: target_modules must be a non-empty list of module names or a regular expression"),
    };

    private static IReadOnlyList<string> TargetList(JsonObject root) => root["target_modules"] is JsonArray list
        ? list.Select(n => n?.GetValue<string>() ?? "").ToList()
        : [root["target_modules"]!.GetValue<string>()];

    private static T Get<T>(JsonObject root, string path, string key, Func<JsonNode, T> read)
    {
        var node = root[key] ?? throw new BadInputException($"{path}: missing \"{key}\"");
        try
        {
            return read(node);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new BadInputException($"{path}: \"{key}\" has the wrong type ({node.ToJsonString()})", e);
        }
    }

    private static void Require(JsonObject root, string path, string key, Func<string?, bool> ok, string message)
    {
        var value = root[key]?.GetValueKind() == JsonValueKind.String ? root[key]!.GetValue<string>() : root[key]?.ToJsonString();
        if (!ok(value)) throw new BadInputException($"{path}: \"{key}\" is {value ?? "missing"}; {message}");
    }

    private static void Unsupported(JsonObject root, string path, string key, Func<JsonNode, bool> isUsed)
    {
        if (root[key] is { } node && isUsed(node))
            throw new BadInputException($"{path}: \"{key}\" = {node.ToJsonString()} is not supported by lorapar's LoRA layers");
    }

    private static JsonNode Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);
}

using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Peft;

/// <summary>An adapter read from a PEFT folder: its config, target short names, base model and LoRA tensors (CPU, lorapar keys).</summary>
public sealed record PeftAdapter(LoraConfig Config, IReadOnlyList<string> TargetModules, string? BaseModelNameOrPath, IReadOnlyDictionary<string, Tensor> Tensors);

/// <summary>
/// Saves and loads adapters in PEFT's folder layout (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>), so
/// <c>PeftModel.from_pretrained(base, folder)</c> loads them in Python. Tensor keys map as
/// <c>model.layers.0.self_attn.q_proj.lora_A</c> ↔ <c>base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight</c>.
/// </summary>
public static class PeftAdapterFormat
{
    public const string ConfigFileName = "adapter_config.json";
    public const string WeightsFileName = "adapter_model.safetensors";
    public const string KeyPrefix = "base_model.model.";
    public const string KeySuffix = ".weight";

    /// <summary>PEFT's key for a lorapar LoRA tensor key.</summary>
    public static string PeftKey(string loraKey) => KeyPrefix + loraKey + KeySuffix;

    /// <summary>The lorapar key for a PEFT key, or null when the key is not a LoRA A/B weight.</summary>
    public static string? LoraKey(string peftKey)
    {
        if (!peftKey.StartsWith(KeyPrefix, StringComparison.Ordinal) || !peftKey.EndsWith(KeySuffix, StringComparison.Ordinal)) return null;
        var key = peftKey[KeyPrefix.Length..^KeySuffix.Length];
        return key.EndsWith(LoraAdapterSet.ASuffix, StringComparison.Ordinal) || key.EndsWith(LoraAdapterSet.BSuffix, StringComparison.Ordinal) ? key : null;
    }

    /// <summary>Saves the current adapter values of <paramref name="adapters"/>.</summary>
    public static void Save(string directory, LoraAdapterSet adapters, string baseModelNameOrPath) =>
        Save(directory, adapters.Tensors.ToDictionary(kv => kv.Key, kv => (Tensor)kv.Value), adapters.Config, adapters.TargetModules, baseModelNameOrPath);

    /// <summary>
    /// Saves the PiSSA/OLoRA factors as initialised (A0, B0), for a later process to rebuild the same residual base
    /// (<see cref="LoraInjector.Inject"/> with <c>initialFactors</c>) or to convert a trained adapter (<see cref="PissaToLora"/>).
    /// </summary>
    public static void SaveInitial(string directory, LoraAdapterSet adapters, string baseModelNameOrPath)
    {
        if (adapters.InitialTensors.Count == 0)
            throw new InvalidOperationException($"init {adapters.Config.Init.Name()} leaves the base weights untouched; only pissa and olora keep initial factors");
        Save(directory, adapters.InitialTensors, adapters.Config, adapters.TargetModules, baseModelNameOrPath);
    }

    /// <summary>
    /// For PiSSA/OLoRA: saves the equivalent plain-LoRA adapter (rank 2r) against the ORIGINAL base model, as PEFT's
    /// <c>path_initial_model_for_weight_conversion</c> does.
    /// </summary>
    public static void SaveForOriginalBase(string directory, LoraAdapterSet adapters, string baseModelNameOrPath)
    {
        var (tensors, config) = PissaToLora.Convert(adapters.Tensors.ToDictionary(kv => kv.Key, kv => (Tensor)kv.Value), adapters.InitialTensors, adapters.Config);
        try
        {
            Save(directory, tensors, config, adapters.TargetModules, baseModelNameOrPath);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Saves <paramref name="tensors"/> (lorapar keys) with <paramref name="config"/>; weights first, then the config, each atomically.</summary>
    public static void Save(string directory, IReadOnlyDictionary<string, Tensor> tensors, LoraConfig config, IReadOnlyList<string> targetModules, string baseModelNameOrPath)
    {
        Directory.CreateDirectory(directory);
        var entries = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => TensorSource.Of(PeftKey(kv.Key), kv.Value)).ToList();
        SafetensorsFile.Write(Path.Combine(directory, WeightsFileName), entries);
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), PeftAdapterConfig.ToJson(config, targetModules, baseModelNameOrPath) + "\n");
    }

    /// <summary>Loads a PEFT LoRA adapter folder; keys other than LoRA A/B weights, or A/B shapes that disagree with r, are bad input.</summary>
    public static PeftAdapter Load(string directory)
    {
        var configPath = Path.Combine(directory, ConfigFileName);
        var weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(configPath)) throw new BadInputException($"{configPath}: not found; a PEFT adapter folder holds {ConfigFileName} and {WeightsFileName}");
        var (config, targets, baseModel) = PeftAdapterConfig.Parse(File.ReadAllText(configPath), configPath);
        var raw = SafetensorsFile.ReadAll(weightsPath);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (peftKey, value) in raw)
        {
            var key = LoraKey(peftKey);
            if (key is null)
            {
                foreach (var t in raw.Values) t.Dispose();
                throw new BadInputException($"{weightsPath}: tensor '{peftKey}' is not a LoRA A/B weight (expected {KeyPrefix}<module>.lora_A{KeySuffix}); only plain LoRA adapters on Linear layers are supported");
            }
            tensors[key] = value;
        }
        CheckPairs(tensors, config.R, weightsPath);
        return new PeftAdapter(config, targets, baseModel, tensors);
    }

    private static void CheckPairs(IReadOnlyDictionary<string, Tensor> tensors, int r, string path)
    {
        foreach (var (key, value) in tensors)
        {
            var isA = key.EndsWith(LoraAdapterSet.ASuffix, StringComparison.Ordinal);
            var module = key[..^(isA ? LoraAdapterSet.ASuffix : LoraAdapterSet.BSuffix).Length];
            var partner = module + (isA ? LoraAdapterSet.BSuffix : LoraAdapterSet.ASuffix);
            if (!tensors.ContainsKey(partner)) throw new BadInputException($"{path}: {key} has no partner {partner}");
            var rank = isA ? value.shape[0] : value.shape[1];
            if (value.dim() != 2 || rank != r)
                throw new BadInputException($"{path}: {key} has shape [{string.Join(", ", value.shape)}], which does not have rank r = {r} from the config");
        }
    }
}

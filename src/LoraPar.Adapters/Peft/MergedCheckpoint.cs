using System.Text.Json;
using System.Text.Json.Nodes;
using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using static TorchSharp.torch;
using Module = TorchSharp.torch.nn.Module;

namespace LoraPar.Adapters.Peft;

/// <summary>
/// The state dict a module tree computes with, under HF key names, with every enabled adapter folded into its base weight:
/// for each <see cref="LoraLinear"/> at path p, <c>p.base_layer.weight</c> becomes <c>p.weight</c> = W + scale·B·A,
/// <c>p.base_layer.bias</c> becomes <c>p.bias</c>, and <c>p.lora_A</c>/<c>p.lora_B</c> are dropped (PEFT's merge_and_unload).
/// The model itself is not changed; merged weights are computed one at a time while writing.
/// </summary>
public static class MergedCheckpoint
{
    public const string ConfigFileName = "config.json";
    public const string WeightsFileName = "model.safetensors";

    /// <summary>The merged state dict as tensor sources (in state-dict order), for streaming to a file.</summary>
    public static IReadOnlyList<TensorSource> Sources(Module root)
    {
        var wrappers = root.named_modules().Where(m => m.module is LoraLinear).ToDictionary(m => m.name, m => (LoraLinear)m.module);
        var sources = new List<TensorSource>();
        foreach (var (key, tensor) in root.state_dict())
        {
            var owner = wrappers.Keys.FirstOrDefault(p => key.StartsWith(p + ".", StringComparison.Ordinal));
            if (owner is null)
            {
                sources.Add(TensorSource.Of(key, tensor));
                continue;
            }
            var rest = key[(owner.Length + 1)..];
            if (!rest.StartsWith("base_layer.", StringComparison.Ordinal)) continue;       // lora_A, lora_B
            var name = owner + "." + rest["base_layer.".Length..];
            var layer = wrappers[owner];
            sources.Add(rest == "base_layer.weight"
                ? new TensorSource(name, tensor.dtype, tensor.shape, layer.EffectiveWeight)
                : TensorSource.Of(name, tensor));
        }
        return sources;
    }

    /// <summary>The merged state dict materialised (small models, tests); dispose the returned tensors, they are the caller's.</summary>
    public static Dictionary<string, Tensor> StateDict(Module root) =>
        Sources(root).ToDictionary(s => s.Key, s => s.Open());

    /// <summary>
    /// Writes <c>config.json</c> (the HF model config, given as JSON text) and <c>model.safetensors</c> (the merged state dict)
    /// into <paramref name="directory"/>, each atomically, so <c>AutoModelForCausalLM.from_pretrained(directory)</c> loads it.
    /// </summary>
    public static void Export(Module root, string directory, string hfConfigJson)
    {
        try
        {
            if (JsonNode.Parse(hfConfigJson) is not JsonObject) throw new BadInputException("the HF model config must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new BadInputException($"the HF model config is not valid JSON at line {(e.LineNumber ?? 0) + 1}: {e.Message}", e);
        }
        Directory.CreateDirectory(directory);
        SafetensorsFile.Write(Path.Combine(directory, WeightsFileName), Sources(root));
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), hfConfigJson);
    }
}

using LoraPar.Adapters;
using LoraPar.Adapters.Inits;
using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages.Pretrain;
using TorchSharp;

namespace LoraPar.Pipeline.Planning;

/// <summary>
/// What the memory and time model needs of the model: its config, the bytes of a base weight (and of activations, which
/// take the compute dtype), the bytes of a LoRA element, and the LoRA geometry the manifest asks for.
/// </summary>
/// <param name="Config">The decoder's hyper-parameters.</param>
/// <param name="WeightBytes">Bytes per base weight and per activation element (2 for bf16/fp16, 4 for fp32).</param>
/// <param name="AdapterBytes">Bytes per LoRA element (fp32 under a bf16/fp16 base, as <see cref="LoraInitializer.AdapterDType"/>).</param>
/// <param name="Rank">LoRA rank r.</param>
/// <param name="Targets">The projections LoRA wraps in every layer (q_proj … down_proj).</param>
public sealed record PlanShape(LlamaConfig Config, int WeightBytes, int AdapterBytes, int Rank, IReadOnlyList<string> Targets)
{
    /// <summary>The built-in model's vocabulary is a character set below this size.</summary>
    public const int TinyVocabulary = 128;

    /// <summary>Every projection of a decoder layer (what <c>all-linear</c> targets).</summary>
    public static IReadOnlyList<string> AllProjections { get; } = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>All parameters.</summary>
    public long Parameters => Config.ParameterCount();

    /// <summary>LoRA elements of the whole model: layers · r · Σ (in + out) over the targets.</summary>
    public long LoraElements => (long)Config.NumHiddenLayers * Rank * Targets.Sum(t => Dimensions(t).In + Dimensions(t).Out);

    /// <summary>Elements of the base weights LoRA wraps (what a merge copies).</summary>
    public long TargetedWeightElements => (long)Config.NumHiddenLayers * Targets.Sum(t => Dimensions(t).In * Dimensions(t).Out);

    /// <summary>(in, out) of projection <paramref name="name"/>.</summary>
    public (long In, long Out) Dimensions(string name)
    {
        long d = Config.HiddenSize, q = (long)Config.NumAttentionHeads * Config.HeadDim, kv = (long)Config.NumKeyValueHeads * Config.HeadDim;
        long f = Config.IntermediateSize;
        return name switch
        {
            "q_proj" => (d, q), "k_proj" or "v_proj" => (d, kv), "o_proj" => (q, d),
            "gate_proj" or "up_proj" => (d, f), "down_proj" => (f, d),
            _ => throw new BadInputException($"lora.targets: '{name}' is not a decoder projection the plan knows"),
        };
    }

    /// <summary>
    /// The shape of <paramref name="m"/>'s model: the built-in one from <c>[model.tiny]</c>, or the checkpoint's config.json
    /// (<paramref name="configFile"/> when given, for a checkpoint that is not on this machine).
    /// </summary>
    public static PlanShape Of(PipelineManifest m, bool cuda, string? configFile = null)
    {
        var config = configFile is not null ? LlamaConfig.Load(configFile)
            : m.Model.Source == ModelSource.Pretrain ? PretrainStage.OptionsOf(m.Model.Tiny, m.DataSeeded().Seed).ModelConfig(TinyVocabulary)
            : LlamaConfig.Load(CheckpointConfig(m));
        var half = m.Model.Dtype is WeightType.Bfloat16 or WeightType.Float16 || m.Model.Dtype == WeightType.Auto && cuda;
        var weight = half ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32;
        var targets = m.Lora.Targets.ShortNames.Count == 0 ? AllProjections : m.Lora.Targets.ShortNames.Where(n => n != LoraTargets.OutputHead).ToList();
        return new PlanShape(config, half ? 2 : 4, LoraInitializer.AdapterDType(weight) == torch.ScalarType.Float32 ? 4 : 2, m.Lora.R, targets);
    }

    private static string CheckpointConfig(PipelineManifest m)
    {
        var folder = m.Model.Path?.Resolved ?? "";
        var file = Path.Combine(folder, HfCheckpoint.ConfigFile);
        if (File.Exists(file)) return file;
        throw new BadInputException($"model.path: {file} is not on this machine; pass --model-config with the model's config.json "
            + "(experiments/paper/llama-2-7b.config.json is LLaMA-2-7B's)");
    }
}

using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using TorchSharp;

namespace LoraPar.Pipeline.Stages.Modeling;

/// <summary>The base model and its tokenizer, loaded for one stage: the pretrain stage's output or the manifest's checkpoint folder.</summary>
public sealed class BaseModel(LlamaForCausalLM model, TextTokenizer tokenizer, string name) : IDisposable
{
    /// <summary>The model (parameters frozen by the LoRA injector once adapters are added).</summary>
    public LlamaForCausalLM Model { get; } = model;

    /// <summary>The tokenizer saved with the model.</summary>
    public TextTokenizer Tokenizer { get; } = tokenizer;

    /// <summary>The name written as <c>base_model_name_or_path</c> in adapters.</summary>
    public string Name { get; } = name;

    /// <summary>Where the base model of <paramref name="manifest"/> lives, given the stage's context.</summary>
    public static string Folder(StageContext context) => context.Manifest.Model.Source == ModelSource.Pretrain
        ? context.UpstreamDirectory(StageKinds.Pretrain)
        : context.Manifest.Model.Path?.Resolved
          ?? throw new BadInputException("model.source = \"checkpoint\" needs model.path (a Hugging Face checkpoint folder)");

    /// <summary>Loads the base model of the stage's manifest on its device and dtype.</summary>
    public static BaseModel Load(StageContext context)
    {
        var folder = Folder(context);
        if (!Directory.Exists(folder)) throw new BadInputException($"{folder}: model folder not found; set model.path to a Hugging Face checkpoint folder");
        var tokenizer = TokenizerLoader.Load(folder);
        var device = DeviceOf(context.Manifest);
        var model = HfCheckpoint.Load(folder, device, DTypeOf(context.Manifest.Model.Dtype, device));
        if (VocabularyFit.Problem(model.Config, tokenizer, folder) is { } problem)
        {
            model.Dispose();
            throw new BadInputException(problem);
        }
        return new BaseModel(model, tokenizer, context.Manifest.Model.Path?.Raw ?? "lorapar-tiny");
    }

    /// <summary>The manifest's device.</summary>
    public static torch.Device DeviceOf(PipelineManifest manifest) => DeviceResolver.Resolve(manifest.Device);

    /// <summary>The weight dtype: auto is bf16 on CUDA, fp32 on CPU.</summary>
    public static torch.ScalarType? DTypeOf(WeightType type, torch.Device device) => type switch
    {
        WeightType.Float32 => torch.ScalarType.Float32,
        WeightType.Bfloat16 => torch.ScalarType.BFloat16,
        WeightType.Float16 => torch.ScalarType.Float16,
        _ => device.type == DeviceType.CUDA ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32,
    };

    public void Dispose() => Model.Dispose();
}

using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Adapters.Peft;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages.Masks;
using LoraPar.Pipeline.Stages.Modeling;
using TorchSharp;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>Adapters for a training or evaluation stage: injected as the scores stage injected them, then loaded from an upstream stage's adapter.</summary>
public static class AdapterState
{
    /// <summary>The folder inside a training stage's artifact holding its PEFT-format adapter.</summary>
    public const string AdapterFolder = "adapter";

    /// <summary>The folder inside the <c>sft</c> artifact holding the adapter as it stood after <paramref name="epoch"/> (1, 2, …).</summary>
    public static string EpochFolder(int epoch) => $"adapter-epoch{epoch}";

    /// <summary>
    /// How many epoch snapshots the <c>sft</c> stage of <paramref name="manifest"/> commits besides its final adapter: one per
    /// epoch but the last when it trains whole epochs (<c>sft.epochs</c> ≥ 2, no <c>max_steps</c>), none otherwise.
    /// </summary>
    public static int EpochSnapshots(PipelineManifest manifest) => manifest.Sft.MaxSteps is null ? manifest.Sft.Epochs - 1 : 0;

    /// <summary>Injects LoRA with the manifest's init and seed, then loads the adapter <paramref name="fromStage"/> trained (if any).</summary>
    public static LoraAdapterSet Prepare(StageContext context, BaseModel base_, string? fromStage, double? dropout = null)
    {
        var lora = context.Manifest.Lora;
        var adapters = LoraInjector.Inject(base_.Model, lora with { Dropout = dropout ?? lora.Dropout }, context.Manifest.Seed);
        if (fromStage is not null) Load(adapters, Path.Combine(context.UpstreamDirectory(fromStage), AdapterFolder));
        return adapters;
    }

    /// <summary>Loads the LoRA values saved in a PEFT adapter folder into <paramref name="adapters"/>.</summary>
    public static void Load(LoraAdapterSet adapters, string folder)
    {
        using var scope = torch.NewDisposeScope();
        var saved = PeftAdapterFormat.Load(folder);
        adapters.Load(saved.Tensors, folder);
    }

    /// <summary>The mask of one training stage from the masks artifact, on <paramref name="device"/>.</summary>
    public static LoraMaskSet Mask(StageContext context, TrainingStage stage, torch.Device device)
    {
        using var masks = PartitionMasks.Load(Path.Combine(context.UpstreamDirectory(StageKinds.Masks), PartitionMasks.FileName));
        return new LoraMaskSet(masks.For(stage).ToDictionary(kv => kv.Key, kv => kv.Value.to(device).DetachFromDisposeScope()));
    }
}

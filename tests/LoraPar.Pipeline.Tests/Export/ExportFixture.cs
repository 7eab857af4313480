using LoraPar.Adapters;
using LoraPar.Adapters.Peft;
using LoraPar.Method.Partition;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Export;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Sweeps;
using static TorchSharp.torch;

namespace LoraPar.Pipeline.Tests.Export;

/// <summary>
/// A trained run laid out as the pipeline lays it out, built by hand on a tiny LLaMA (2 layers, d = 32): a base checkpoint
/// folder, random stage masks, and an adapter "trained" by moving exactly the elements the masks make trainable away from the
/// values the injection (manifest init and seed) gave them, saved as the training stages save it.
/// </summary>
public sealed class ExportFixture : IDisposable
{
    public static readonly LlamaConfig Config = TinyModelFactory.Config(vocabSize: 48, hidden: 32, heads: 4, kvHeads: 2);

    public ExportFixture(LoraConfig lora, string hubId = "")
    {
        TorchRuntime.EnsureInitialized();
        Directory.CreateDirectory(Root);
        using (var model = TinyModelFactory.Create(Config, seed: 5)) HfCheckpoint.Save(model, BaseFolder);
        File.WriteAllText(Path.Combine(BaseFolder, "tokenizer_config.json"), "{\"model_max_length\": 512}\n");
        var manifest = new PipelineManifest
        {
            Name = "export-test", Seed = 9, Device = DeviceChoice.Cpu, Lora = lora,
            Model = new ModelSection { Source = ModelSource.Checkpoint, Path = new ManifestPath(BaseFolder, BaseFolder), HubId = hubId },
        };
        Run = new TrainedRun(new RunVariant(RunVariant.DefaultName, manifest, []), BaseFolder, Path.Combine(Root, "sft", "adapter"), Path.Combine(Root, "masks"));
        Train();
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "lorapar-export-tests", Guid.NewGuid().ToString("N"));

    public string BaseFolder => Path.Combine(Root, "base");

    public TrainedRun Run { get; }

    public string Out => Path.Combine(Root, "out");

    /// <summary>The base model with the manifest's adapters injected as training injected them (optionally the trained values loaded).</summary>
    public (LlamaForCausalLM Model, LoraAdapterSet Adapters) Injected(bool trained)
    {
        var model = HfCheckpoint.Load(BaseFolder);
        model.eval();
        var adapters = LoraInjector.Inject(model, Run.Manifest.Lora, Run.Manifest.Seed);
        if (trained) adapters.Load(PeftAdapterFormat.Load(Run.AdapterFolder).Tensors, Run.AdapterFolder);
        return (model, adapters);
    }

    /// <summary>The stage masks (CPU bool), keyed like the adapter tensors.</summary>
    public PartitionMasks Masks() => PartitionMasks.Load(Path.Combine(Run.MasksFolder, PartitionMasks.FileName));

    public static Tensor Tokens() => tensor(new long[] { 1, 7, 19, 3, 44, 12, 5, 30, 2, 9, 21, 40 }).reshape(2, 6);

    private void Train()
    {
        var (model, adapters) = Injected(trained: false);
        using var _ = model;
        using var scope = NewDisposeScope();
        using var generator = new Generator(17, CPU);
        var stage1 = adapters.Tensors.ToDictionary(kv => kv.Key, kv => rand(kv.Value.shape, generator: generator).lt(0.5));
        var stage2 = adapters.Tensors.ToDictionary(kv => kv.Key, kv => rand(kv.Value.shape, generator: generator).lt(0.5));
        Directory.CreateDirectory(Run.MasksFolder);
        using (var masks = new PartitionMasks(stage1, stage2)) masks.Save(Path.Combine(Run.MasksFolder, PartitionMasks.FileName));
        using (no_grad())
            foreach (var (key, value) in adapters.Tensors)
            {
                var step = randn(value.shape, generator: generator).mul(0.05);
                value.add_(step.mul(stage1[key].logical_or(stage2[key])));
            }
        PeftAdapterFormat.Save(Run.AdapterFolder, adapters, "trained-on-" + BaseFolder);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}

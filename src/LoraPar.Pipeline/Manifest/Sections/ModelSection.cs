using LoraPar.Pipeline.Manifest.Toml;

namespace LoraPar.Pipeline.Manifest.Sections;

/// <summary>Where the base model comes from.</summary>
public enum ModelSource
{
    /// <summary>The built-in tiny LLaMA-architecture model, trained on the spot by the <c>pretrain</c> stage.</summary>
    Pretrain,

    /// <summary>A Hugging Face checkpoint folder (config.json, safetensors) given by <c>model.path</c>.</summary>
    Checkpoint,
}

/// <summary>Floating-point type of the base weights.</summary>
public enum WeightType
{
    /// <summary>bf16 on CUDA, fp32 on CPU.</summary>
    Auto,

    /// <summary>fp32.</summary>
    Float32,

    /// <summary>bf16.</summary>
    Bfloat16,

    /// <summary>fp16.</summary>
    Float16,
}

/// <summary>Shape and pre-training budget of the built-in tiny model (<c>[model.tiny]</c>, used when source = "pretrain").</summary>
public sealed record TinyModelSettings
{
    /// <summary>Decoder layers.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Model width d.</summary>
    public int HiddenSize { get; init; } = 64;

    /// <summary>Attention heads (must divide <see cref="HiddenSize"/>).</summary>
    public int Heads { get; init; } = 4;

    /// <summary>MLP width.</summary>
    public int IntermediateSize { get; init; } = 172;

    /// <summary>Maximum sequence length.</summary>
    public int ContextLength { get; init; } = 256;

    /// <summary>Pre-training optimizer steps.</summary>
    public int PretrainSteps { get; init; } = 1500;

    /// <summary>Pre-training learning rate.</summary>
    public double PretrainLearningRate { get; init; } = 3e-3;

    /// <summary>Pre-training batch size (sequences).</summary>
    public int PretrainBatchSize { get; init; } = 32;

    /// <summary>Share of the train items whose worked solutions the pretraining corpus shows (the rest appear as bare questions), per system.</summary>
    public double PretrainSolvedFraction { get; init; } = 0.3;

    /// <summary>
    /// Share of the pretraining corpus (characters) given to arithmetic drills — lines of facts such as <c>14+9=23</c> drawn
    /// from the task's number ranges, standing in for the arithmetic a real base LLM knows. 0 = none.
    /// </summary>
    public double PretrainDrillFraction { get; init; }

    /// <summary>
    /// Extra synthetic items per system, never in the train or eval split, that the pretraining corpus shows solved — the
    /// task's kind of problem without its own questions. 0 = the corpus holds train items only.
    /// </summary>
    public int PretrainPoolSize { get; init; }

    internal static TinyModelSettings Read(SectionReader r)
    {
        var d = new TinyModelSettings();
        var s = new TinyModelSettings
        {
            Layers = r.Int("layers", d.Layers, NumberRange.AtLeast(1)),
            HiddenSize = r.Int("hidden_size", d.HiddenSize, NumberRange.AtLeast(1)),
            Heads = r.Int("heads", d.Heads, NumberRange.AtLeast(1)),
            IntermediateSize = r.Int("intermediate_size", d.IntermediateSize, NumberRange.AtLeast(1)),
            ContextLength = r.Int("context_length", d.ContextLength, NumberRange.AtLeast(8)),
            PretrainSteps = r.Int("pretrain_steps", d.PretrainSteps, NumberRange.NonNegative),
            PretrainLearningRate = r.Double("pretrain_learning_rate", d.PretrainLearningRate, NumberRange.Positive),
            PretrainBatchSize = r.Int("pretrain_batch_size", d.PretrainBatchSize, NumberRange.AtLeast(1)),
            PretrainSolvedFraction = r.Double("pretrain_solved_fraction", d.PretrainSolvedFraction, NumberRange.Unit),
            PretrainDrillFraction = r.Double("pretrain_drill_fraction", d.PretrainDrillFraction, new NumberRange(0, 0.95)),
            PretrainPoolSize = r.Int("pretrain_pool_size", d.PretrainPoolSize, NumberRange.NonNegative),
        };
        if (s.HiddenSize % s.Heads != 0) r.Error("heads", $"hidden_size {s.HiddenSize} is not divisible by heads {s.Heads}");
        r.Finish();
        return s;
    }
}

/// <summary><c>[model]</c>: the base model.</summary>
public sealed partial record ModelSection
{
    /// <summary>Built-in tiny model or a checkpoint folder.</summary>
    public ModelSource Source { get; init; } = ModelSource.Pretrain;

    /// <summary>The checkpoint folder (required when <see cref="Source"/> is checkpoint; may use <c>${VAR}</c>).</summary>
    public ManifestPath? Path { get; init; }

    /// <summary>Weight type.</summary>
    public WeightType Dtype { get; init; } = WeightType.Auto;

    /// <summary>
    /// The Hugging Face Hub id of the base model (e.g. <c>meta-llama/Llama-2-7b-chat-hf</c>), written by <c>lorapar export</c> as
    /// the adapter's <c>base_model_name_or_path</c> instead of the local path; empty = the path. Cosmetic: never part of a stage key.
    /// </summary>
    public string HubId { get; init; } = "";

    /// <summary>The built-in model's shape.</summary>
    public TinyModelSettings Tiny { get; init; } = new();

    internal static ModelSection Read(SectionReader r)
    {
        var d = new ModelSection();
        var source = r.Enum("source", d.Source);
        var section = new ModelSection
        {
            Source = source,
            Path = r.Path("path", PathKind.Directory, mustExist: true),
            Dtype = r.Enum("dtype", d.Dtype),
            HubId = r.String("hub_id", d.HubId),
            Tiny = TinyModelSettings.Read(r.Section("tiny")),
        };
        if (source == ModelSource.Checkpoint && section.Path is null)
            r.Error("source", "source = \"checkpoint\" needs model.path (a Hugging Face checkpoint folder)");
        if (section.HubId.Length > 0 && !HubIdPattern().IsMatch(section.HubId))
            r.Error("hub_id", $"'{section.HubId}' is not a Hugging Face Hub model id (name or owner/name: letters, digits, '-', '_', '.', at most 96 characters)");
        r.Finish();
        return section;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?=.{1,96}$)[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")]
    private static partial System.Text.RegularExpressions.Regex HubIdPattern();
}

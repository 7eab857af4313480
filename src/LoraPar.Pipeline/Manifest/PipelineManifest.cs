using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Manifest;

/// <summary>
/// A resolved, validated manifest: one experiment (or, with <see cref="Sweep"/>, a grid of them). Immutable; make variants with
/// <c>with</c>. Stages read their settings from here; keys hash the canonical JSON of what they read (<see cref="ManifestJson"/>).
/// </summary>
public sealed record PipelineManifest
{
    /// <summary>Experiment name (default: the file name); names the run records under artifacts/runs/. Cosmetic for keys.</summary>
    public string Name { get; init; } = "experiment";

    /// <summary>Seed for every random choice.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Compute device.</summary>
    public DeviceKind Device { get; init; } = DeviceKind.Auto;

    /// <summary>Training recipe.</summary>
    public TrainingMethod Method { get; init; } = TrainingMethod.LoraPar;

    /// <summary>The artifacts folder (absolute). Cosmetic for keys.</summary>
    public string Artifacts { get; init; } = Path.GetFullPath("artifacts");

    /// <summary>Console verbosity. Cosmetic.</summary>
    public Verbosity LogLevel { get; init; } = Verbosity.Normal;

    /// <summary>Progress display. Cosmetic.</summary>
    public ProgressDisplay Progress { get; init; } = ProgressDisplay.Auto;

    /// <summary><c>[model]</c>.</summary>
    public ModelSection Model { get; init; } = new();

    /// <summary><c>[tokenizer]</c>.</summary>
    public TokenizerSection Tokenizer { get; init; } = new();

    /// <summary><c>[data]</c>.</summary>
    public DataSection Data { get; init; } = new();

    /// <summary><c>[splitter]</c>.</summary>
    public SplitterSection Splitter { get; init; } = new();

    /// <summary><c>[lora]</c>.</summary>
    public LoraSection Lora { get; init; } = new();

    /// <summary><c>[importance]</c>.</summary>
    public ImportanceSection Importance { get; init; } = new();

    /// <summary><c>[partition]</c>.</summary>
    public PartitionSection Partition { get; init; } = new();

    /// <summary><c>[sft]</c>.</summary>
    public SftSection Sft { get; init; } = new();

    /// <summary><c>[rl]</c>.</summary>
    public RlSection Rl { get; init; } = new();

    /// <summary><c>[eval]</c>.</summary>
    public EvalSection Eval { get; init; } = new();

    /// <summary><c>[report]</c>.</summary>
    public ReportSection Report { get; init; } = new();

    /// <summary><c>[sweep]</c> (empty in the runs a sweep expands to).</summary>
    public SweepSection Sweep { get; init; } = new();
}

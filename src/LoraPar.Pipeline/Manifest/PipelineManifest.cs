using LoraPar.Adapters;
using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Training.Grpo;
using LoraPar.Training.Sft;

namespace LoraPar.Pipeline.Manifest;

/// <summary>
/// A resolved, validated manifest: one experiment (or, with <see cref="Sweep"/>, a grid of them). Immutable; make variants with
/// <c>with</c>. Stages read their settings from here; keys hash the canonical JSON of what they read (<see cref="ManifestJson"/>).
/// </summary>
public sealed record PipelineManifest
{
    /// <summary>Experiment name (default: the file name); names the run records under artifacts/runs/. Cosmetic for keys.</summary>
    public string Name { get; init; } = "experiment";

    /// <summary>Seed for every random choice (for the data and the pretrained base only when <c>data.seed</c> is unset).</summary>
    public long Seed { get; init; } = 42;

    /// <summary>
    /// The manifest as the data and pretrain stages see it: the top-level seed replaced by <c>data.seed</c> when that is set (and
    /// <c>data.seed</c> cleared), so their keys and outputs equal those of a manifest whose top-level seed is that value.
    /// </summary>
    public PipelineManifest DataSeeded() => Data.Seed is { } seed ? this with { Seed = seed, Data = Data with { Seed = null } } : this;

    /// <summary>Compute device.</summary>
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;

    /// <summary>
    /// MKL's code path for runs of this manifest (null: the process's, <c>auto</c> by default); <c>avx2</c> holds ATen's and
    /// lorapar's own CPU kernels at AVX2 as well, for numbers that reproduce across CPUs. Like the CPU, it is not part of
    /// any key; <c>stage.json</c> records the kernels that computed each artifact. <c>LORAPAR_MKL_PATH</c> or <c>--mkl-path</c> win.
    /// </summary>
    public MklPathChoice? MklPath { get; init; }

    /// <summary>
    /// Threads libtorch and MKL compute with, 1 – 1,024 (null: the process's, OpenMP's default of one per core). A bit-for-bit
    /// pin needs a fixed count as well as <c>mkl_path = "avx2"</c>. Like <c>mkl_path</c>, not part of any key and recorded in
    /// <c>stage.json</c>; <c>OMP_NUM_THREADS</c> wins.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Minutes between the checkpoints of the long stages (pretraining, importance scoring, SFT, GRPO); 0 saves after every
    /// step; at most a week (10,080). <c>sft.checkpoint_every</c> / <c>rl.checkpoint_every</c> add checkpoints every N steps. Not part of any key.
    /// </summary>
    public double CheckpointMinutes { get; init; } = Core.CheckpointCadence.DefaultMinutes;

    /// <summary>The checkpoint cadence of <see cref="CheckpointMinutes"/>, plus <paramref name="everySteps"/> steps where a stage has them.</summary>
    public Core.CheckpointCadence CheckpointCadence(int everySteps = 0) => Core.CheckpointCadence.Minutes(CheckpointMinutes, everySteps);

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

    /// <summary><c>[data]</c>.</summary>
    public DataSection Data { get; init; } = new();

    /// <summary><c>[splitter]</c>.</summary>
    public SplitterSection Splitter { get; init; } = new();

    /// <summary><c>[lora]</c>: the adapter (PEFT's names: r, alpha, dropout, targets, init).</summary>
    public LoraConfig Lora { get; init; } = new();

    /// <summary><c>[importance]</c>: importance scoring (its seed is <see cref="Seed"/>).</summary>
    public ImportanceScorerOptions Importance { get; init; } = new();

    /// <summary><c>[partition]</c>: θ, α, β and the selection (its seed is <see cref="Seed"/>).</summary>
    public PartitionOptions Partition { get; init; } = new();

    /// <summary><c>[sft]</c>: stage 1 (its seed is <see cref="Seed"/>).</summary>
    public SftOptions Sft { get; init; } = new();

    /// <summary><c>[rl]</c>: stage 2, GRPO (its seed is <see cref="Seed"/>).</summary>
    public GrpoOptions Rl { get; init; } = new();

    /// <summary><c>[eval]</c>.</summary>
    public EvalSection Eval { get; init; } = new();

    /// <summary><c>[report]</c>.</summary>
    public ReportSection Report { get; init; } = new();

    /// <summary><c>[executor]</c>: local or Slurm, and the jobs' resources. Not part of any key.</summary>
    public Executors.ExecutorSettings Executor { get; init; } = new();

    /// <summary><c>[sweep]</c> (empty in the runs a sweep expands to).</summary>
    public SweepSection Sweep { get; init; } = new();
}

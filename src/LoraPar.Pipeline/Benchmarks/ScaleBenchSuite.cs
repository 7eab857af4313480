using System.Diagnostics;
using LoraPar.Core;
using LoraPar.Core.Benchmarks;
using LoraPar.Method.Benchmarks;
using LoraPar.Model.Checkpoints;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Planning;
using LoraPar.Pipeline.Progress;
using LoraPar.Pipeline.Stages;
using static TorchSharp.torch;

namespace LoraPar.Pipeline.Benchmarks;

/// <summary>
/// <c>lorapar bench scale</c>: the 7B rehearsal on the CPU. It writes a LLaMA-2-7B-shaped checkpoint with random bf16 weights
/// into a temporary folder (<see cref="ScaleRehearsal"/>; removed afterwards, also on failure or Ctrl-C), times one plain
/// load of it, then runs the pipeline stage by stage in this process through the normal stage code, and holds each GPU
/// stage's peak resident memory and time against <c>lorapar plan</c>'s prediction for the CPU with the same settings.
/// A stage's peak is VmHWM after resetting it at the stage's start (<see cref="PeakResidentMemory"/>), less the resident
/// set at that moment (the runtime and libraries, no model: every stage loads and frees its own), so it counts what the
/// stage allocates — what the plan predicts. Figures: <c>plan_memory_ratio_&lt;stage&gt;</c> (measured ÷ predicted),
/// <c>seconds_&lt;stage&gt;</c> (load included) beside <c>predicted_seconds_&lt;stage&gt;</c> (compute only), the largest
/// resident set of the whole run (goal: 24 GiB), its wall time (goal: 30 minutes) and its processor time per core (the wall
/// time it would take on cores of its own; a shared machine stretches the wall time, not this).
/// </summary>
/// <param name="shape">The model (null: <see cref="Shape"/> of the options).</param>
/// <param name="temporary">Where the rehearsal's folder is made (null: the system's temporary folder).</param>
public sealed class ScaleBenchSuite(LlamaConfig? shape = null, string? temporary = null) : IBenchSuite
{
    private const double Gib = 1L << 30, Mib = 1 << 20;

    /// <summary>LLaMA-2-7B's config.json (meta-llama/Llama-2-7b-hf).</summary>
    public static LlamaConfig Llama2_7B { get; } = new()
    {
        VocabSize = 32000, HiddenSize = 4096, IntermediateSize = 11008, NumHiddenLayers = 32, NumAttentionHeads = 32, NumKeyValueHeads = 32,
        RmsNormEps = 1e-5, RopeTheta = 10000, MaxPositionEmbeddings = 4096, BosTokenId = 1, EosTokenIds = [2], InitializerRange = 0.02,
    };

    /// <inheritdoc />
    public string Name => "scale";

    /// <inheritdoc />
    public string Description => "7B-shaped rehearsal on the CPU in bf16: one small step of every GPU stage, peak memory and time against lorapar plan";

    /// <inheritdoc />
    public IReadOnlyList<BenchFigure> Run(BenchOptions options, Action<string> log, CancellationToken cancel)
    {
        TorchRuntime.EnsureInitialized();
        var config = shape ?? Shape(options);
        var tokenizer = options.Tokenizer ?? SharedTokenizer();
        var root = Path.Combine(temporary ?? Path.GetTempPath(), "lorapar-bench-scale-" + Guid.NewGuid().ToString("N"));
        var clock = Stopwatch.StartNew();
        try
        {
            var manifest = ScaleRehearsal.Write(root, config, tokenizer, cancel);
            var written = clock.Elapsed.TotalSeconds;
            log($"scale: {config.NumHiddenLayers} layers, d {config.HiddenSize}, ffn {config.IntermediateSize}: {config.ParameterCount():N0} parameters "
                + $"in bf16 written to {root} in {written:0.0} s");
            var figures = new List<BenchFigure> { new("checkpoint_write_seconds", written, "s", Better.Lower) };
            figures.AddRange(MeasureLoad(Path.Combine(root, "model"), config, log));
            figures.AddRange(MeasureStages(manifest, root, log, cancel));
            figures.Add(new("rehearsal_peak_rss_gib", figures.Where(f => f.Name.StartsWith("peak_rss_", StringComparison.Ordinal)).Max(f => f.Value),
                "GiB", Better.Lower, Goal: 24));
            figures.Add(new("rehearsal_minutes", clock.Elapsed.TotalMinutes, "min", Better.Lower, Goal: 30));
            using var process = Process.GetCurrentProcess();
            figures.Add(new("rehearsal_cpu_minutes_per_core", process.TotalProcessorTime.TotalMinutes / Environment.ProcessorCount, "min", Better.Lower));
            return figures;
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>LLaMA-2-7B cut to <see cref="BenchOptions.Layers"/> (quick: 2) and narrowed to <see cref="BenchOptions.Hidden"/> at its ratios.</summary>
    public static LlamaConfig Shape(BenchOptions options)
    {
        var layers = options.Layers ?? (options.Quick ? 2 : Llama2_7B.NumHiddenLayers);
        if (options.Hidden is not { } d) return Llama2_7B with { NumHiddenLayers = layers };
        if (d < 8 || d % 8 != 0) throw new BadInputException($"--hidden {d}: the width must be a positive multiple of 8");
        var heads = Math.Max(1, d / Llama2_7B.HeadDim);
        var ffn = (int)Math.Round((double)Llama2_7B.IntermediateSize / Llama2_7B.HiddenSize * d / 8) * 8;
        return Llama2_7B with { NumHiddenLayers = layers, HiddenSize = d, NumAttentionHeads = heads, NumKeyValueHeads = heads, IntermediateSize = ffn };
    }

    /// <summary>One plain bf16 load through <see cref="HfCheckpoint"/>: its time, and its peak against the weights' bytes.</summary>
    private static IEnumerable<BenchFigure> MeasureLoad(string folder, LlamaConfig config, Action<string> log)
    {
        var (peak, start, seconds) = Measure(() => HfCheckpoint.Load(folder, CPU, ScalarType.BFloat16).Dispose());
        var weights = config.ParameterCount() * 2.0;
        log($"scale: load in {seconds:0.0} s, peak {(peak - start) / Gib:0.00} GiB above the {start / Mib:0} MiB the process held, weights {weights / Gib:0.00} GiB");
        return [new("load_seconds", seconds, "s", Better.Lower), new("plan_memory_ratio_load", (peak - start) / weights, "x", Better.Lower),
            new("peak_rss_load", peak / Gib, "GiB", Better.Lower)];
    }

    private static IEnumerable<BenchFigure> MeasureStages(string manifestPath, string root, Action<string> log, CancellationToken cancel)
    {
        var loaded = ManifestLoader.Load(manifestPath, new ManifestLoadOptions(root));
        var store = new ArtifactStore(loaded.Manifest.Artifacts);
        var dag = PipelinePlan.Build(loaded.Manifest, PipelineStages.CreateDefault(), store.Hashes);
        var plan = ResourcePlanner.Plan(dag, new PlanOptions()).Single();
        var env = new ExecutionEnvironment(NullProgressReporter.Instance, _ => { }, cancel);
        var figures = new List<BenchFigure>();
        foreach (var kind in dag.Nodes.Select(n => n.Kind).Distinct())
        {
            void RunStage() => PipelineRunner.Run(dag, store, new RunSelection(OnlyStage: kind), env);
            if (plan.Stages.FirstOrDefault(s => s.Kind == kind) is not { } predicted)
            {
                RunStage();
                continue;
            }
            var (peak, start, seconds) = Measure(RunStage);
            var name = kind.Replace('-', '_');
            log($"scale: {kind} in {seconds:0.0} s (plan: {predicted.Time.Seconds:0.0} s compute), peak {(peak - start) / Gib:0.000} GiB above "
                + $"{start / Mib:0} MiB (plan: {predicted.Memory.Peak / Gib:0.000} GiB)");
            figures.AddRange([
                new($"plan_memory_ratio_{name}", (peak - start) / predicted.Memory.Peak, "x", Better.Lower),
                new($"measured_memory_{name}", (peak - start) / Gib, "GiB", Better.Lower),
                new($"predicted_memory_{name}", predicted.Memory.Peak / Gib, "GiB", Better.Lower),
                new($"peak_rss_{name}", peak / Gib, "GiB", Better.Lower),
                new($"seconds_{name}", seconds, "s", Better.Lower),
                new($"predicted_seconds_{name}", predicted.Time.Seconds, "s", Better.Lower),
            ]);
        }
        return figures;
    }

    /// <summary>(peak resident bytes, resident bytes at the start, seconds) of <paramref name="action"/>, the peak reset at its start.</summary>
    private static (double Peak, double Start, double Seconds) Measure(Action action)
    {
        PeakResidentMemory.ReturnFreedHeap();
        if (!PeakResidentMemory.Reset()) throw new BadInputException("bench scale needs Linux's /proc/self/clear_refs to measure a peak per stage");
        var start = PeakResidentMemory.CurrentMib() * Mib;
        var clock = Stopwatch.StartNew();
        action();
        return (PeakResidentMemory.PeakMib() * Mib, start, clock.Elapsed.TotalSeconds);
    }

    /// <summary>LLaMA-2's tokenizer.model in a <c>shared/models/llama2-tokenizer/</c> folder at or above the working folder.</summary>
    private static string SharedTokenizer()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "models", "llama2-tokenizer", "tokenizer.model");
            if (File.Exists(candidate)) return candidate;
        }
        throw new BadInputException("bench scale: no shared/models/llama2-tokenizer/tokenizer.model at or above the working folder; pass --tokenizer <LLaMA-2 tokenizer.model>");
    }
}

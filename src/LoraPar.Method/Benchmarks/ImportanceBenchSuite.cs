using System.Diagnostics;
using LoraPar.Adapters;
using LoraPar.Core;
using LoraPar.Core.Benchmarks;
using LoraPar.Method.Importance;
using LoraPar.Model.Llama;
using LoraPar.Model.Objectives;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using static TorchSharp.torch;

namespace LoraPar.Method.Benchmarks;

/// <summary>
/// <c>lorapar bench importance</c>: importance scoring of N = 64 examples per system on a small LLaMA (4 layers, d = 128,
/// QKVGUD LoRA r = 8; <c>--quick</c>: 2 layers, d = 32, N = 4), batched (one forward/backward per batch of 8) against the
/// per-example loop (one backward per example), alternating in the same process on the same samples. Figures: the speed-up
/// (median times), the largest relative difference of any score tensor between the two, and the peak resident set of each
/// side (process working set; on Linux its peak is reset before each side's first pass; CPU memory only, not GPU memory).
/// Both sides do the same arithmetic: forward plus backward through the activations, about 58 GFLOP batched (0.75 % padding
/// after length sorting) against 60 GFLOP in the loop. The batched side saves the per-operation overhead of 128 small
/// passes (about half of the loop's time on a CPU: a d = 16 copy of the model, with next to no arithmetic, takes 55 % of the
/// d = 128 loop's time) and the rank-r branch (it multiplies float32 layers with the merged weight W + s·B·A, see
/// <see cref="LoraCaptureForm"/>), and then runs near this CPU's GEMM ceiling. So on a CPU the ratio is bounded by about
/// loop time / arithmetic time ≈ 2.5×, well below the GPU-minded goal (measured 2026-11 on the shared 2-core host:
/// 2.1–3.2×, 2.2–2.3× while the host was quiet; 1.5–1.9× before the merged-weight capture).
/// </summary>
public sealed class ImportanceBenchSuite : IBenchSuite
{
    public const string Speedup = "importance_batched_speedup";
    public const string MaxRelDiff = "importance_max_rel_diff";
    public const string PeakMib = "importance_peak_mib";

    public string Name => "importance";

    public string Description => "importance scoring, N = 64 per system: batched per-example gradients vs one backward per example (time, agreement, peak memory)";

    public IReadOnlyList<BenchFigure> Run(BenchOptions options, Action<string> log, CancellationToken cancel)
    {
        var device = DeviceResolver.Resolve(ParseDevice(options.Device));
        var (layers, hidden, perSystem, repetitions) = options.Quick ? (2, 32, 4, 1) : (4, 128, 64, 3);
        var tokenizer = CharTokenizer.CreateAscii();
        var config = TinyModelFactory.Config(tokenizer.VocabSize, hidden: hidden, layers: layers, heads: 4, kvHeads: 2);
        using var model = TinyModelFactory.Create(config, seed: 17, device: device);
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 8, Alpha = 16, Init = LoraInit.GaussianBoth, Sigma = 0.02 }, seed: 18);
        var splits = BenchSplits(tokenizer, perSystem);
        log($"{layers} layers, d = {hidden}, {adapters.ElementCount:N0} LoRA elements, {perSystem} examples per system " +
            $"({splits.Values.SelectMany(s => s).Average(e => e.Length):F0} tokens on average), device {device.type}");

        ImportanceScorer Scorer(GradientPath path) => new(model, adapters, tokenizer.PadId,
            new ImportanceScorerOptions { SamplesPerSystem = perSystem, BatchSize = 8, Seed = 19, GradientPath = path });
        var (batched, loop) = (Scorer(GradientPath.Batched), Scorer(GradientPath.PerExampleLoop));

        var resetWorks = PeakResidentMemory.Reset();
        var (first, firstMs) = Timed(batched, splits);                                  // warm-up, also the compared scores
        var peakBatched = PeakResidentMemory.PeakMib();
        PeakResidentMemory.Reset();
        var (reference, referenceMs) = Timed(loop, splits);
        var peakLoop = PeakResidentMemory.PeakMib();
        var maxRel = MaxRelativeDifference(first.Scores, reference.Scores);
        first.Dispose();
        reference.Dispose();
        log($"first pass: batched {firstMs:F0} ms, loop {referenceMs:F0} ms; peak resident set {peakBatched:F0} MiB batched, " +
            $"{peakLoop:F0} MiB loop {(resetWorks ? "(each side's own window)" : "(process lifetime: the reset is Linux-only)")}");

        var (batchedMs, loopMs) = (new List<double>(), new List<double>());
        for (var rep = 0; rep < repetitions; rep++)
        {
            cancel.ThrowIfCancellationRequested();
            var order = rep % 2 == 0 ? new[] { loop, batched } : [batched, loop];    // alternate which side goes first
            foreach (var side in order)
            {
                var (result, ms) = Timed(side, splits);
                result.Dispose();
                (side == batched ? batchedMs : loopMs).Add(ms);
            }
        }
        var (medianBatched, medianLoop) = (Median(batchedMs), Median(loopMs));
        log($"median: batched {medianBatched:F0} ms, loop {medianLoop:F0} ms; max relative difference {maxRel:E2}");
        return
        [
            new(Speedup, medianLoop / medianBatched, "x", Better.Higher, 4),
            new(MaxRelDiff, maxRel, "x", Better.Lower, 1e-5),
            new(PeakMib, peakBatched, "MiB", Better.Lower),
            new("importance_peak_mib_loop", peakLoop, "MiB", Better.Lower),
            new("importance_batched_ms", medianBatched, "ms", Better.Lower),
            new("importance_loop_ms", medianLoop, "ms", Better.Lower),
        ];
    }

    /// <summary>
    /// <paramref name="perSystem"/> examples per system with prompts and responses of varied length: short sums for System 1,
    /// word problems with a worked answer for System 2 (deterministic).
    /// </summary>
    public static Dictionary<ReasoningSystem, IReadOnlyList<AnswerExample>> BenchSplits(TextTokenizer tokenizer, int perSystem) => new()
    {
        [ReasoningSystem.System1] = Enumerable.Range(0, perSystem).Select(i => AnswerExample.Encode(tokenizer,
            $"Question: what is {i * 37 % 91} plus {i * 11 % 29}?{new string(' ', i % 9)} Answer:",
            $" {i * 37 % 91 + i * 11 % 29}")).ToList(),
        [ReasoningSystem.System2] = Enumerable.Range(0, perSystem).Select(i => AnswerExample.Encode(tokenizer,
            $"Question: a shop sells {i % 7 + 2} boxes of {i % 5 + 3} pens each day for {i % 4 + 2} days{new string('.', i % 13)} " +
            "How many pens does it sell? Answer:",
            $" Each day it sells {i % 7 + 2}*{i % 5 + 3}={(i % 7 + 2) * (i % 5 + 3)} pens. Over {i % 4 + 2} days that is " +
            $"{(i % 7 + 2) * (i % 5 + 3)}*{i % 4 + 2}={(i % 7 + 2) * (i % 5 + 3) * (i % 4 + 2)}. #### {(i % 7 + 2) * (i % 5 + 3) * (i % 4 + 2)}")).ToList(),
    };

    /// <summary>max over systems and LoRA tensors of max |a − b| / max |b|.</summary>
    public static double MaxRelativeDifference(ImportanceScores actual, ImportanceScores reference)
    {
        var worst = 0.0;
        foreach (var system in ReasoningSystemNames.All)
            foreach (var name in reference.Names)
            {
                using var scope = NewDisposeScope();
                var (a, b) = (actual[system, name].to(ScalarType.Float64), reference[system, name].to(ScalarType.Float64));
                var scale = Math.Max(b.abs().max().item<double>(), 1e-30);
                worst = Math.Max(worst, (a - b).abs().max().item<double>() / scale);
            }
        return worst;
    }

    private static (ImportanceScoringResult Result, double Ms) Timed(ImportanceScorer scorer,
        IReadOnlyDictionary<ReasoningSystem, IReadOnlyList<AnswerExample>> splits)
    {
        var watch = Stopwatch.StartNew();
        var result = scorer.Score(splits);   // the scores come back on the CPU, so a GPU is synchronised here
        return (result, watch.Elapsed.TotalMilliseconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static DeviceChoice ParseDevice(string text) =>
        Enum.TryParse<DeviceChoice>(text, ignoreCase: true, out var choice) && Enum.IsDefined(choice)
            ? choice
            : throw new BadInputException($"device '{text}': use auto, cpu or cuda");
}

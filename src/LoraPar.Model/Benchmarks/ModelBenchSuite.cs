using LoraPar.Core.Benchmarks;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using TorchSharp;

namespace LoraPar.Model.Benchmarks;

/// <summary>
/// <c>lorapar bench model</c>: training throughput and MFU, KV-cache speed-up, decode roofline and batched generation
/// throughput of a ~27M-parameter LLaMA (6 layers, d 512, seq 256, batch 4). Ceilings (the hardware's fp32 FMA peak,
/// libtorch's fp32 matmul rate, memory read bandwidth) are measured in the same process, alternating with the workloads
/// they divide. <c>train_mfu</c> divides by the hardware peak, <c>train_mfu_libtorch</c> by libtorch's own matmul rate.
/// </summary>
public sealed class ModelBenchSuite : IBenchSuite
{
    public string Name => "model";

    public string Description => "LLaMA model: training tokens/s and MFU, KV-cache decode speed-up and roofline, batched generation tokens/s";

    /// <summary>The benchmark model: 6 layers, d 512, 8 heads, SwiGLU 1408, vocabulary 8192, untied head (27.7M parameters).</summary>
    public static LlamaConfig BenchConfig { get; } = TinyModelFactory.Config(vocabSize: 8192, hidden: 512, layers: 6, heads: 8, kvHeads: 8, maxPositions: 1024)
        with { IntermediateSize = 1408 };

    /// <summary>The quick (smoke) model: 2 layers, d 64.</summary>
    public static LlamaConfig QuickConfig { get; } = TinyModelFactory.Config(vocabSize: 256, hidden: 64, layers: 2, heads: 4, kvHeads: 4, maxPositions: 256);

    public IReadOnlyList<BenchFigure> Run(BenchOptions options, Action<string> log, CancellationToken cancel)
    {
        var device = DeviceResolver.Resolve(Enum.TryParse<DeviceChoice>(options.Device, ignoreCase: true, out var choice) ? choice : DeviceChoice.Auto);
        var plan = options.Quick ? BenchPlan.Quick : BenchPlan.Full;
        using var model = TinyModelFactory.Create(options.Quick ? QuickConfig : BenchConfig, seed: 1, device);
        var work = new ModelWorkloads(model, seed: 7);
        var runtime = TorchRuntime.EnsureInitialized();
        log($"model: {model.Config.ParameterCount() / 1e6:F1}M parameters on {device.type}, {torch.get_num_threads()} threads; {runtime.Cpu}; {runtime.Kernels}");
        var figures = new List<BenchFigure>();
        figures.AddRange(Training(work, device, plan, log, cancel));
        figures.AddRange(Decoding(work, device, plan, log, cancel));
        figures.AddRange(Generation(work, plan, log, cancel));
        return figures;
    }

    private static IEnumerable<BenchFigure> Training(ModelWorkloads work, torch.Device device, BenchPlan plan, Action<string> log, CancellationToken cancel)
    {
        work.TrainStep(plan.Batch, plan.Sequence);   // warm-up: optimizer state, allocator
        double matmul = 0, fma = 0, step = double.MaxValue;
        for (var round = 0; round < plan.Rounds; round++)
        {
            cancel.ThrowIfCancellationRequested();
            if (device.type == DeviceType.CPU) fma = Math.Max(fma, FmaPeak.Flops(Environment.ProcessorCount, plan.FmaIterations, repeats: 10));
            matmul = Math.Max(matmul, MachinePeaks.MatmulFlops(device, plan.MatmulSizes, repeats: 2));
            step = Math.Min(step, work.TrainStep(plan.Batch, plan.Sequence));
            log($"train round {round + 1}: step {step * 1e3:F0} ms, libtorch matmul {matmul / 1e9:F1} GFLOP/s, hardware FMA peak {fma / 1e9:F1} GFLOP/s");
        }
        var tokens = (double)plan.Batch * plan.Sequence;
        var achieved = tokens * TrainingFlops.PerToken(work.Config, plan.Sequence) / step;
        var hardware = device.type == DeviceType.CPU ? fma : matmul;   // on a GPU the matmul rate stands in for the peak
        return
        [
            new BenchFigure("train_tokens_per_s", tokens / step, "tokens/s", Better.Higher),
            new BenchFigure("train_mfu", achieved / hardware, "fraction", Better.Higher, Goal: 0.55),
            new BenchFigure("train_mfu_libtorch", achieved / matmul, "fraction", Better.Higher, Goal: 0.7),
            new BenchFigure("fma_peak_gflops", hardware / 1e9, "GFLOP/s", Better.Higher),
            new BenchFigure("matmul_gflops", matmul / 1e9, "GFLOP/s", Better.Higher),
            new BenchFigure("matmul_hardware_fraction", matmul / hardware, "fraction", Better.Higher),
        ];
    }

    private static IEnumerable<BenchFigure> Decoding(ModelWorkloads work, torch.Device device, BenchPlan plan, Action<string> log, CancellationToken cancel)
    {
        work.CachedDecode(plan.Prompt, 8);   // warm-up
        double cached = double.MaxValue, uncached = double.MaxValue, first = double.MaxValue, bandwidth = 0;
        for (var round = 0; round < plan.DecodeRounds; round++)
        {
            cancel.ThrowIfCancellationRequested();
            cached = Math.Min(cached, work.CachedDecode(plan.Prompt, plan.NewTokens));
            uncached = Math.Min(uncached, work.UncachedDecode(plan.Prompt, plan.NewTokens));
            first = Math.Min(first, work.CachedDecode(plan.Prompt, 1));
            bandwidth = Math.Max(bandwidth, MachinePeaks.ReadBandwidth(device, plan.BandwidthMegabytes, repeats: 3));
            log($"decode round {round + 1}: cached {cached:F2} s, uncached {uncached:F2} s, bandwidth {bandwidth / 1e9:F1} GB/s");
        }
        var perToken = (cached - first) / (plan.NewTokens - 1);
        return
        [
            new BenchFigure("decode_cache_speedup", uncached / cached, "x", Better.Higher, Goal: 5),
            new BenchFigure("decode_roofline", work.WeightBytesPerToken() / perToken / bandwidth, "fraction", Better.Higher, Goal: 0.5),
            .. device.type == DeviceType.CPU && KernelWidths.Uses512(KernelWidth.Widest) ? MatvecWidths(plan, log) : [],
        ];
    }

    /// <summary><c>matvec_512_speedup</c>: the packed matvec's 512-bit kernel ÷ its 256-bit kernel (GB/s, one thread), alternating.</summary>
    private static BenchFigure[] MatvecWidths(BenchPlan plan, Action<string> log)
    {
        using var bench = new MatvecWidthBench(plan.MatvecShape[0], plan.MatvecShape[1]);
        double wide = double.MaxValue, narrow = double.MaxValue;
        for (var round = 0; round < plan.Rounds; round++)
        {
            wide = Math.Min(wide, bench.Seconds(KernelWidth.Widest, repeats: 5));
            narrow = Math.Min(narrow, bench.Seconds(KernelWidth.Avx2, repeats: 5));
        }
        log($"matvec {bench.Bytes / 1e6:F0} MB: 512-bit {bench.Bytes / wide / 1e9:F1} GB/s, 256-bit {bench.Bytes / narrow / 1e9:F1} GB/s");
        return [new BenchFigure("matvec_512_speedup", narrow / wide, "x", Better.Higher)];
    }

    private static IEnumerable<BenchFigure> Generation(ModelWorkloads work, BenchPlan plan, Action<string> log, CancellationToken cancel)
    {
        foreach (var batch in new[] { 1, 8, 32 })
        {
            cancel.ThrowIfCancellationRequested();
            var seconds = Enumerable.Range(0, plan.DecodeRounds).Min(_ => work.CachedDecode(plan.Prompt, plan.GenerationTokens, batch));
            var rate = batch * plan.GenerationTokens / seconds;
            log($"generation batch {batch}: {rate:F0} tokens/s");
            yield return new BenchFigure($"gen_tokens_per_s_b{batch}", rate, "tokens/s", Better.Higher);
        }
    }

    /// <summary>Sizes and repetitions of one run.</summary>
    /// <param name="Rounds">Alternating rounds for training (cheap); decoding and generation use <paramref name="DecodeRounds"/>.</param>
    /// <param name="MatvecShape">(in, out) of the weight <see cref="MatvecWidthBench"/> streams (64 MB in the full plan).</param>
    /// <param name="FmaIterations">Iterations per core of <see cref="FmaPeak"/> (16 vector FMAs each): ≈ 10 ms at 200 GFLOP/s per core, short so that the best of many catches the cores unshared.</param>
    private sealed record BenchPlan(int Batch, int Sequence, int Prompt, int NewTokens, int GenerationTokens, int Rounds, int DecodeRounds,
        int[] MatmulSizes, int BandwidthMegabytes, long FmaIterations, int[] MatvecShape)
    {
        public static BenchPlan Full { get; } = new(4, 256, 16, 256, 128, 3, 2, [1024, 1536, 2048], 512, 4_000_000, [2048, 8192]);
        public static BenchPlan Quick { get; } = new(2, 32, 4, 32, 4, 1, 2, [128], 16, 1_000_000, [64, 256]);
    }
}

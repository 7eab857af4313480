using LoraPar.Core.Benchmarks;
using LoraPar.Model.Benchmarks;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Manifest.Sections;
using LoraPar.Pipeline.Stages.Pretrain;
using LoraPar.Synthetic;
using LoraPar.Training.Pretraining;
using LoraPar.Training.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Pipeline.Benchmarks;

/// <summary>
/// <c>lorapar bench pretrain</c>: the pretrain stage's own optimizer steps (<see cref="PretrainStep"/>) on the quickstart's
/// tiny-model shape (4 layers, d 128, 4 / 2 heads, SwiGLU 344, windows of 256 characters, 16 per step) over a synthetic-task
/// corpus. <c>pretrain_mfu</c> = <see cref="TrainingFlops.PerStep"/> × steps/s ÷ libtorch's fp32 matmul rate
/// (<see cref="MachinePeaks.MatmulFlops"/>), the two measured in alternating rounds of the same process.
/// </summary>
public sealed class PretrainBenchSuite : IBenchSuite
{
    /// <summary>The quickstart's <c>[model.tiny]</c> shape (experiments/quickstart.toml).</summary>
    public static TinyModelSettings QuickstartShape { get; } = new()
    {
        Layers = 4, HiddenSize = 128, Heads = 4, IntermediateSize = 344, ContextLength = 256, PretrainBatchSize = 16, PretrainLearningRate = 3e-3,
    };

    /// <summary>The quick (smoke) shape: 2 layers, d 32, windows of 32, 4 per step.</summary>
    public static TinyModelSettings QuickShape { get; } = new()
    {
        Layers = 2, HiddenSize = 32, Heads = 4, IntermediateSize = 88, ContextLength = 32, PretrainBatchSize = 4, PretrainLearningRate = 3e-3,
    };

    /// <inheritdoc />
    public string Name => "pretrain";

    /// <inheritdoc />
    public string Description => "pretraining the quickstart's tiny model: steps/s and MFU against the in-process fp32 matmul rate";

    /// <inheritdoc />
    public IReadOnlyList<BenchFigure> Run(BenchOptions options, Action<string> log, CancellationToken cancel)
    {
        var device = DeviceResolver.Resolve(Enum.Parse<DeviceChoice>(options.Device, ignoreCase: true));
        var plan = options.Quick ? Plan.Quick : Plan.Full;
        var tokenizer = CharTokenizer.Create(TaskAlphabet.Characters);
        var settings = (options.Quick ? QuickShape : QuickstartShape) with { PretrainSteps = plan.Warmup + plan.Rounds * plan.StepsPerRound };
        var pretrain = PretrainStage.OptionsOf(settings, seed: 7);
        var stream = TokenStream.Encode(Corpus(), tokenizer);
        using var model = TinyModelFactory.Create(pretrain.ModelConfig(tokenizer.VocabSize), pretrain.Seed, device);
        using var trainer = new PretrainStep(model, pretrain);
        var schedule = new WarmupCosineSchedule(pretrain.LearningRate, pretrain.Steps, pretrain.WarmupRatio, pretrain.MinLearningRate);
        var flops = TrainingFlops.PerStep(model.Config, pretrain.BatchSize, pretrain.SequenceLength);
        log($"pretrain: {model.Config.ParameterCount() / 1e6:F2}M parameters, {pretrain.BatchSize}×{pretrain.SequenceLength} tokens a step, "
            + $"{flops / 1e9:F2} GFLOP a step, {torch.get_num_threads()} threads; {TorchRuntime.EnsureInitialized().Kernels}");
        model.train();
        var step = 0;
        double Steps(int count) => MachinePeaks.Time(device, () =>
        {
            for (var end = step + count; step < end; step++) trainer.Run(stream, step, schedule.LearningRateAt(step), lastCheckpoint: null);
        }) / count;
        Steps(plan.Warmup);   // optimizer state, allocator
        double seconds = double.MaxValue, matmul = 0;
        for (var round = 0; round < plan.Rounds; round++)
        {
            cancel.ThrowIfCancellationRequested();
            matmul = Math.Max(matmul, MachinePeaks.MatmulFlops(device, plan.MatmulSizes, repeats: 2));
            seconds = Math.Min(seconds, Steps(plan.StepsPerRound));
            log($"pretrain round {round + 1}: {seconds * 1e3:F1} ms a step, libtorch matmul {matmul / 1e9:F1} GFLOP/s");
        }
        return
        [
            new BenchFigure("pretrain_mfu", flops / seconds / matmul, "fraction", Better.Higher),
            new BenchFigure("pretrain_steps_per_s", 1 / seconds, "steps/s", Better.Higher),
            new BenchFigure("pretrain_gflops", flops / seconds / 1e9, "GFLOP/s", Better.Higher),
            new BenchFigure("pretrain_matmul_gflops", matmul / 1e9, "GFLOP/s", Better.Higher),
        ];
    }

    /// <summary>A pretraining corpus of the default synthetic task: its train questions and 500 solved pool items per system.</summary>
    private static IEnumerable<string> Corpus()
    {
        var task = DualSystemTaskGenerator.Generate(new DualSystemTaskConfig { Seed = 7 });
        return PretrainCorpus.Build(task, new PretrainCorpusConfig { Seed = 7, PoolSize = 500 }).Select(d => d.Text);
    }

    /// <summary>Steps and rounds of one run.</summary>
    /// <param name="Warmup">Untimed steps first (optimizer state, allocator).</param>
    /// <param name="StepsPerRound">Timed steps per round; the best round's mean counts.</param>
    /// <param name="MatmulSizes">Square matmul sizes of the peak (the model suite's).</param>
    private sealed record Plan(int Warmup, int Rounds, int StepsPerRound, int[] MatmulSizes)
    {
        public static Plan Full { get; } = new(3, 3, 10, [1024, 1536, 2048]);
        public static Plan Quick { get; } = new(1, 1, 2, [128]);
    }
}

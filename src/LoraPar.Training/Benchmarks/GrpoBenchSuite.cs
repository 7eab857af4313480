using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Core;
using LoraPar.Core.Benchmarks;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.Synthetic;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Data;
using LoraPar.Training.Grpo;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Sft;
using static TorchSharp.torch;

namespace LoraPar.Training.Benchmarks;

/// <summary>
/// <c>lorapar bench grpo</c>: where the time of a GRPO step goes, and the throughput a user sizes a run with, on a fixed
/// tiny model (character tokenizer over the synthetic task's alphabet, 2 layers, d = 64, LoRA r = 8 on QKVGUD with a random
/// 40% stage mask). Prompts are the synthetic task's System-2 questions in the reasoning-tags layout; the model is untrained,
/// so every completion runs to the length limit (the worst case a step can take). Settings are the authors' (G = 8,
/// β = 0.04, μ = 1, so no old log-probs) with 2 prompts per step and 64-token completions (<c>--quick</c>: 16). The first
/// step warms up and is left out; each part's time is the median over the measured steps (robust to a busy machine), and
/// the shares are of rollout (generation + rewards), reference log-probs and update within one step, all in one run.
/// <c>grpo_completions_per_s</c> is a step's completions over the sum of the three medians;
/// <c>sft_tokens_per_s</c> is the median of masked SFT's non-padding tokens per second over the same model.
/// </summary>
public sealed class GrpoBenchSuite : IBenchSuite
{
    public const string RolloutShare = "grpo_rollout_share";
    public const string ReferenceShare = "grpo_reference_share";
    public const string UpdateShare = "grpo_update_share";
    public const string CompletionsPerSecond = "grpo_completions_per_s";
    public const string SftTokensPerSecond = "sft_tokens_per_s";

    public string Name => "grpo";

    public string Description => "GRPO step time split (rollout / reference log-probs / update), completions/s and SFT tokens/s on a fixed tiny model";

    public IReadOnlyList<BenchFigure> Run(BenchOptions options, Action<string> log, CancellationToken cancel)
    {
        var device = DeviceResolver.Resolve(ParseDevice(options.Device));
        var task = DualSystemTaskGenerator.Generate(new DualSystemTaskConfig { System1 = new(64, 0), System2 = new(64, 0) });
        var steps = options.Quick ? 2 : 8;
        var folder = Path.Combine(Path.GetTempPath(), "lorapar-bench-grpo-" + Guid.NewGuid().ToString("N"));
        try
        {
            var grpo = MeasureGrpo(task, device, steps, options.Quick ? 16 : 64, Path.Combine(folder, "grpo"), log, cancel);
            var sft = MeasureSft(task, device, steps, Path.Combine(folder, "sft"), cancel);
            log($"sft: {sft:F0} tokens/s");
            return [.. grpo, new(SftTokensPerSecond, sft, "tokens/s", Better.Higher)];
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static IReadOnlyList<BenchFigure> MeasureGrpo(DualSystemTask task, Device device, int steps, int completionLength, string checkpoints,
        Action<string> log, CancellationToken cancel)
    {
        using var bench = TinyBenchModel.Create(device);
        var grpoOptions = new GrpoOptions { PromptsPerBatch = 2, MaxCompletionLength = completionLength, MaxSteps = 1 + steps, Seed = 7 };
        var data = GrpoData.FromItems(task.Items(DataSplit.Train, ReasoningSystem.System2));
        var result = new GrpoTrainer(bench.Model, bench.Tokenizer, bench.Adapters, bench.Masks, grpoOptions)
            .Train(data, new TrainingRun(checkpoints, "bench-tiny"), cancel: cancel);
        var measured = result.History.Skip(1).ToList();
        double rollout = Median(measured.Select(h => h.GenerationSeconds)), reference = Median(measured.Select(h => h.ReferenceSeconds));
        var update = Median(measured.Select(h => h.UpdateSeconds));
        var total = rollout + reference + update;
        var completions = grpoOptions.PromptsPerRollout * grpoOptions.NumGenerations;
        log($"grpo: {measured.Count} steps of {grpoOptions.PromptsPerRollout} prompts × {grpoOptions.NumGenerations} completions × {completionLength} tokens on {device.type}; " +
            $"median per step: rollout {rollout:F3} s, reference {reference:F3} s, update {update:F3} s");
        return
        [
            new(RolloutShare, rollout / total, "share", Better.Lower),
            new(ReferenceShare, reference / total, "share", Better.Lower),
            new(UpdateShare, update / total, "share", Better.Lower),
            new(CompletionsPerSecond, completions / total, "completions/s", Better.Higher),
        ];
    }

    private static double MeasureSft(DualSystemTask task, Device device, int steps, string checkpoints, CancellationToken cancel)
    {
        using var bench = TinyBenchModel.Create(device);
        var examples = task.Items(DataSplit.Train, ReasoningSystem.System1)
            .Select(i => SftExample.Encode(bench.Tokenizer, TaskPrompt.Prompt(i.Question, PromptStyle.ReasoningTags), TaskPrompt.Completion(i, PromptStyle.ReasoningTags)))
            .ToList();
        var sftOptions = new SftOptions { GradientAccumulationSteps = 1, MaxSteps = 1 + steps, Seed = 7, Batching = new() { BatchSize = 8, MaxLength = 256 } };
        var rates = new RateRecorder();
        new SftTrainer(bench.Model, bench.Adapters, bench.Masks, sftOptions)
            .Train(new SftData(examples, [], bench.Tokenizer.PadId), new TrainingRun(checkpoints, "bench-tiny"), rates, cancel);
        return Median(rates.TokensPerSecond.Skip(1));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static DeviceChoice ParseDevice(string text) =>
        Enum.TryParse<DeviceChoice>(text, ignoreCase: true, out var choice) && Enum.IsDefined(choice)
            ? choice
            : throw new BadInputException($"device '{text}': use auto, cpu or cuda");

    /// <summary>Keeps the tokens/s of every logged step.</summary>
    private sealed class RateRecorder : ITrainingMonitor
    {
        public List<double> TokensPerSecond { get; } = [];

        public void OnStep(StepLog log) => TokensPerSecond.Add(log.TokensPerSecond);
    }

    /// <summary>The fixed benchmark model with its adapters and stage mask.</summary>
    private sealed class TinyBenchModel(CharTokenizer tokenizer, LlamaForCausalLM model, LoraAdapterSet adapters, LoraMaskSet masks) : IDisposable
    {
        public CharTokenizer Tokenizer { get; } = tokenizer;
        public LlamaForCausalLM Model { get; } = model;
        public LoraAdapterSet Adapters { get; } = adapters;
        public LoraMaskSet Masks { get; } = masks;

        public static TinyBenchModel Create(Device device)
        {
            var tokenizer = CharTokenizer.Create(TaskAlphabet.Characters);
            var config = TinyModelFactory.Config(tokenizer.VocabSize, hidden: 64, layers: 2, heads: 4, kvHeads: 2, maxPositions: 512);
            var model = TinyModelFactory.Create(config, seed: 1, device);
            var adapters = LoraInjector.Inject(model, new LoraConfig { R = 8, Alpha = 16, Dropout = 0.0 }, seed: 2);
            return new TinyBenchModel(tokenizer, model, adapters, LoraMaskSet.Random(adapters.Tensors, 0.4, seed: 3));
        }

        public void Dispose()
        {
            Masks.Dispose();
            Model.Dispose();
        }
    }
}

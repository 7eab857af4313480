using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Core.Benchmarks;
using LoraPar.Model.Llama;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.Synthetic;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Data;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Sft;
using static TorchSharp.torch;

namespace LoraPar.Training.Benchmarks;

/// <summary>
/// <c>lorapar bench grpo</c>: the training figures a user needs to size a run, on the built-in default's model shape
/// (4 layers, d = 128, character vocabulary) with LoRA r = 8 on QKVGUD and a 40 % random mask. Now:
/// <c>sft_tokens_per_s</c>, the masked SFT throughput (non-padding tokens per second, forward + backward + update,
/// first step left out as warm-up) on synthetic-task examples in micro-batches of 8.
/// </summary>
public sealed class TrainingBenchSuite : IBenchSuite
{
    /// <inheritdoc />
    public string Name => "grpo";

    /// <inheritdoc />
    public string Description => "training throughput on the built-in tiny model: masked SFT tokens/s";

    /// <inheritdoc />
    public IReadOnlyList<BenchFigure> Run(BenchOptions options, Action<string> log, CancellationToken cancel)
    {
        var device = DeviceResolver.Resolve(Enum.Parse<DeviceChoice>(options.Device, ignoreCase: true));
        return [SftThroughput(options.Quick ? 4 : 16, device, log, cancel)];
    }

    private static BenchFigure SftThroughput(int measuredSteps, Device device, Action<string> log, CancellationToken cancel)
    {
        var tokenizer = CharTokenizer.Create(TaskAlphabet.Characters);
        using var model = TinyModelFactory.Create(TinyModelFactory.Config(tokenizer.VocabSize, hidden: 128, layers: 4, maxPositions: 1024), 11, device);
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 8, Alpha = 16 }, 12);
        using var masks = LoraMaskSet.Random(adapters.Tensors, 0.4, 13);
        var examples = Examples(tokenizer);
        var options = new SftOptions
        {
            MaxSteps = measuredSteps + 1, GradientAccumulationSteps = 1, WarmupRatio = 0, Batching = new() { BatchSize = 8 },
        };
        var folder = Path.Combine(Path.GetTempPath(), "lorapar-bench-sft-" + Guid.NewGuid().ToString("N"));
        var recorder = new StepRecorder();
        log($"sft: {measuredSteps} steps of 8 examples after 1 warm-up step, {masks.TotalActive} of {masks.TotalElements} LoRA elements active, {device.type}");
        try
        {
            new SftTrainer(model, adapters, masks, options).Train(new SftData(examples, [], tokenizer.PadId), new TrainingRun(folder, "bench"), recorder, cancel);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        var measured = recorder.Steps.Skip(1).ToList();
        var tokensPerSecond = measured.Sum(s => (double)s.Tokens) / measured.Sum(s => s.Tokens / s.TokensPerSecond);
        log($"sft: {measured.Sum(s => s.Tokens)} tokens at {tokensPerSecond:0} tokens/s");
        return new BenchFigure("sft_tokens_per_s", tokensPerSecond, "tokens/s", Better.Higher);
    }

    /// <summary>System-1 and System-2 train items of the default synthetic task in the GSM8K layout.</summary>
    private static List<SftExample> Examples(CharTokenizer tokenizer)
    {
        var task = DualSystemTaskGenerator.Generate(new DualSystemTaskConfig { System1 = new(64, 0), System2 = new(64, 0) });
        return task.Train.Select(item => SftExample.Encode(tokenizer, TaskPrompt.Prompt(item.Question, PromptStyle.Gsm8k),
            TaskPrompt.Completion(item, PromptStyle.Gsm8k))).ToList();
    }

    private sealed class StepRecorder : ITrainingMonitor
    {
        public List<StepLog> Steps { get; } = [];

        public void OnStep(StepLog log) => Steps.Add(log);
    }
}

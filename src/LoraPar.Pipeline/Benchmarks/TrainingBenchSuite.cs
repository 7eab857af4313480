using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Core.Benchmarks;
using LoraPar.Model.Llama;
using LoraPar.Model.Objectives;
using LoraPar.Model.Runtime;
using LoraPar.Model.Tokenizers;
using LoraPar.Synthetic;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Data;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Sft;
using static TorchSharp.torch;

namespace LoraPar.Pipeline.Benchmarks;

/// <summary>
/// <c>lorapar bench grpo</c>: the training figures a user needs to size a run, on the built-in default's model shape
/// (4 layers, d = 128, character vocabulary) with LoRA r = 8 on QKVGUD and a 40 % random mask (<see cref="BenchModel"/>):
/// <c>grpo_rollout_share</c>, <c>grpo_reference_share</c>, <c>grpo_update_share</c> and <c>grpo_completions_per_s</c>
/// (<see cref="GrpoStepBenchmark"/>), and <c>sft_tokens_per_s</c>, the masked SFT throughput (non-padding tokens per
/// second, forward + backward + update, first step left out as warm-up) on synthetic-task examples in micro-batches of 8.
/// </summary>
public sealed class TrainingBenchSuite : IBenchSuite
{
    /// <inheritdoc />
    public string Name => "grpo";

    /// <inheritdoc />
    public string Description => "training on the built-in tiny model: GRPO step time split (rollout / reference / update), completions/s, masked SFT tokens/s";

    /// <inheritdoc />
    public IReadOnlyList<BenchFigure> Run(BenchOptions options, Action<string> log, CancellationToken cancel)
    {
        var device = DeviceResolver.Resolve(Enum.Parse<DeviceChoice>(options.Device, ignoreCase: true));
        var grpo = GrpoStepBenchmark.Measure(options.Quick ? 2 : 8, options.Quick ? 16 : 64, device, log, cancel);
        return [.. grpo, SftThroughput(options.Quick ? 4 : 16, device, log, cancel)];
    }

    private static BenchFigure SftThroughput(int measuredSteps, Device device, Action<string> log, CancellationToken cancel)
    {
        using var bench = BenchModel.Create(device);
        var (tokenizer, model, adapters, masks) = (bench.Tokenizer, bench.Model, bench.Adapters, bench.Masks);
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
    private static List<AnswerExample> Examples(CharTokenizer tokenizer)
    {
        var task = DualSystemTaskGenerator.Generate(new DualSystemTaskConfig { System1 = new(64, 0), System2 = new(64, 0) });
        return task.Train.Select(item => AnswerExample.Encode(tokenizer, TaskPrompt.Prompt(item.Question, PromptStyle.Gsm8k),
            TaskPrompt.Completion(item, PromptStyle.Gsm8k))).ToList();
    }

    private sealed class StepRecorder : ITrainingMonitor
    {
        public List<StepLog> Steps { get; } = [];

        public void OnStep(StepLog log) => Steps.Add(log);
    }
}

using System.Globalization;
using LoraPar.Adapters;
using LoraPar.Adapters.Masks;
using LoraPar.Core;
using LoraPar.Core.Benchmarks;
using LoraPar.Model.Llama;
using LoraPar.Model.Tokenizers;
using LoraPar.Synthetic;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Grpo;
using static TorchSharp.torch;

namespace LoraPar.Pipeline.Benchmarks;

/// <summary>
/// The GRPO half of <c>lorapar bench grpo</c>: where the time of a GRPO step goes, and completions per second. Prompts are
/// the synthetic task's System-2 questions in the reasoning-tags layout; the model (<see cref="BenchModel"/>) is untrained,
/// so every completion runs to the length limit — the longest a step can take. Settings are the authors' (G = 8, β = 0.04,
/// μ = 1, so there are no old log-probs) with 2 prompts per step and 64-token completions (quick: 16). The first step
/// warms up and is left out; each part's time is its median over the measured steps (robust to a busy machine), and the
/// shares split one step into rollout (generation + rewards), reference log-probs and update, all measured in one run.
/// </summary>
internal static class GrpoStepBenchmark
{
    public const string RolloutShare = "grpo_rollout_share";
    public const string ReferenceShare = "grpo_reference_share";
    public const string UpdateShare = "grpo_update_share";
    public const string CompletionsPerSecond = "grpo_completions_per_s";

    /// <summary>Runs <paramref name="measuredSteps"/> GRPO steps after one warm-up step and returns the four figures.</summary>
    public static IReadOnlyList<BenchFigure> Measure(int measuredSteps, int completionLength, Device device, Action<string> log, CancellationToken cancel)
    {
        using var bench = BenchModel.Create(device);
        var task = DualSystemTaskGenerator.Generate(new DualSystemTaskConfig { System1 = new(16, 0), System2 = new(64, 0) });
        var prompts = task.Items(DataSplit.Train, ReasoningSystem.System2)
            .Select(i => new GrpoExample(i.Question, i.FinalAnswer.ToString(CultureInfo.InvariantCulture))).ToList();
        var data = new GrpoData(prompts, question => TaskPrompt.Prompt(question, PromptStyle.ReasoningTags));
        var options = new GrpoOptions { PromptsPerBatch = 2, MaxCompletionLength = completionLength, MaxSteps = 1 + measuredSteps, Seed = 7 };
        var folder = Path.Combine(Path.GetTempPath(), "lorapar-bench-grpo-" + Guid.NewGuid().ToString("N"));
        GrpoResult result;
        try
        {
            result = new GrpoTrainer(bench.Model, bench.Tokenizer, bench.Adapters, bench.Masks, options)
                .Train(data, new TrainingRun(folder, "bench"), cancel: cancel);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        var measured = result.History.Skip(1).ToList();
        var rollout = Median(measured.Select(h => h.GenerationSeconds));
        var reference = Median(measured.Select(h => h.ReferenceSeconds));
        var update = Median(measured.Select(h => h.UpdateSeconds));
        var total = rollout + reference + update;
        log($"grpo: {measured.Count} steps of {options.PromptsPerRollout} prompts × {options.NumGenerations} completions × {completionLength} tokens " +
            $"after 1 warm-up step, {device.type}; median per step: rollout {rollout:F3} s, reference {reference:F3} s, update {update:F3} s");
        return
        [
            new(RolloutShare, rollout / total, "share", Better.Lower),
            new(ReferenceShare, reference / total, "share", Better.Lower),
            new(UpdateShare, update / total, "share", Better.Lower),
            new(CompletionsPerSecond, options.PromptsPerRollout * options.NumGenerations / total, "completions/s", Better.Higher),
        ];
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

/// <summary>
/// The fixed model of <c>bench grpo</c>: the built-in default's shape (4 layers, d = 128, character vocabulary of the
/// synthetic task), LoRA r = 8 on QKVGUD and a 40 % random mask, all from fixed seeds.
/// </summary>
internal sealed class BenchModel(CharTokenizer tokenizer, LlamaForCausalLM model, LoraAdapterSet adapters, LoraMaskSet masks) : IDisposable
{
    public CharTokenizer Tokenizer { get; } = tokenizer;
    public LlamaForCausalLM Model { get; } = model;
    public LoraAdapterSet Adapters { get; } = adapters;
    public LoraMaskSet Masks { get; } = masks;

    public static BenchModel Create(Device device)
    {
        var tokenizer = CharTokenizer.Create(TaskAlphabet.Characters);
        var model = TinyModelFactory.Create(TinyModelFactory.Config(tokenizer.VocabSize, hidden: 128, layers: 4, maxPositions: 1024), 11, device);
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 8, Alpha = 16 }, 12);
        return new BenchModel(tokenizer, model, adapters, LoraMaskSet.Random(adapters.Tensors, 0.4, 13));
    }

    public void Dispose()
    {
        Masks.Dispose();
        Model.Dispose();
    }
}

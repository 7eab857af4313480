using LoraPar.Adapters.Masks;
using LoraPar.Training.Checkpointing;
using LoraPar.Training.Grpo;
using LoraPar.Training.Grpo.Rewards;
using LoraPar.Training.Monitoring;
using LoraPar.Training.Sft;

namespace LoraPar.Training.Tests.Grpo;

/// <summary>
/// A checkable toy reward: the share of a completion's characters that are <paramref name="target"/>, scaled by its length
/// limit (so more target characters always pay more); a completion is "correct" when it contains the target at all.
/// </summary>
internal sealed class TargetCharacterReward(char target, int maxLength) : IGrpoReward
{
    public const string Name = "target";

    public RewardScores Score(IReadOnlyList<string> completions, IReadOnlyList<GrpoExample> examples)
    {
        var values = completions.Select(c => c.Count(ch => ch == target) / (double)maxLength).ToArray();
        return new RewardScores(new Dictionary<string, double[]> { [Name] = values }, values, completions.Select(c => c.Contains(target)).ToArray());
    }
}

/// <summary>Helpers for GRPO tests on <see cref="TinyLm"/>.</summary>
internal static class ToyGrpo
{
    /// <summary>Prompts "Q: What is a+b?\n" for a, b in 0..4, with the sum as gold.</summary>
    public static IReadOnlyList<GrpoExample> Prompts(int count = 25) =>
        (from a in Enumerable.Range(0, 5) from b in Enumerable.Range(0, 5) select new GrpoExample($"What is {a}+{b}?", (a + b).ToString()))
        .Take(count).ToList();

    /// <summary>The toy's prompt layout, passed as the prompt builder.</summary>
    public static string Prompt(string question) => $"Q: {question}\n";

    public static GrpoData Data(int count = 25) => new(Prompts(count), Prompt);

    /// <summary>Small, fast settings with a large learning rate for the toy.</summary>
    public static GrpoOptions Options(int steps) => new()
    {
        LearningRate = 2e-2, WarmupRatio = 0.1, NumGenerations = 6, PromptsPerBatch = 2, MaxPromptLength = 24, MaxCompletionLength = 6,
        Temperature = 1.0, MaxSteps = steps, Seed = 11, MaxGradNorm = 1.0,
    };

    public static IGrpoReward Reward(GrpoOptions options) => new TargetCharacterReward('7', options.MaxCompletionLength);

    /// <summary>Stage 1: a few SFT steps on <paramref name="lm"/>'s own mask, so the GRPO start (the reference) differs from the base model.</summary>
    public static void Stage1(TinyLm lm, string checkpoints, int steps = 4)
    {
        var options = new SftOptions { LearningRate = 5e-2, GradientAccumulationSteps = 1, MaxSteps = steps, Seed = 3, Batching = new() { BatchSize = 5, MaxLength = 32 } };
        new SftTrainer(lm.Model, lm.Adapters, lm.Masks, options).Train(new SftData(lm.Examples(), [], lm.Tokenizer.PadId), new TrainingRun(checkpoints, "tiny"));
    }

    /// <summary>A stage-2 mask over the same LoRA tensors (random, overlapping the stage-1 mask).</summary>
    public static LoraMaskSet Stage2Mask(TinyLm lm, double fraction = 0.5) => LoraMaskSet.Random(lm.Adapters.Tensors, fraction, seed: 77);
}

/// <summary>Records every monitor call.</summary>
internal sealed class GrpoRecorder : ITrainingMonitor
{
    public List<StepLog> Steps { get; } = [];
    public List<CheckpointLog> Checkpoints { get; } = [];
    public Action<StepLog>? AfterStep { get; init; }

    public void OnStep(StepLog log)
    {
        Steps.Add(log);
        AfterStep?.Invoke(log);
    }

    public void OnCheckpoint(CheckpointLog log) => Checkpoints.Add(log);
}

/// <summary>A reward given by a function of the completion text alone.</summary>
internal sealed class TextReward(Func<string, double> score) : IGrpoReward
{
    public RewardScores Score(IReadOnlyList<string> completions, IReadOnlyList<GrpoExample> examples)
    {
        var values = completions.Select(score).ToArray();
        return new RewardScores(new Dictionary<string, double[]> { ["text"] = values }, values, null);
    }
}

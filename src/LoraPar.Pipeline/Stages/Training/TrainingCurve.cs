using System.Text.Json;
using LoraPar.Core;
using LoraPar.Training.Monitoring;

namespace LoraPar.Pipeline.Stages.Training;

/// <summary>Writes a stage's per-step log as <c>training_log.jsonl</c> (step, loss, lr, grad-norm, tokens/s and the trainer's extras).</summary>
public static class TrainingCurve
{
    /// <summary>The file name inside a training stage's artifact.</summary>
    public const string FileName = "training_log.jsonl";

    /// <summary>Writes <paramref name="steps"/> atomically.</summary>
    public static void Write(string path, IEnumerable<StepLog> steps) => AtomicFile.WriteAllText(path, string.Concat(steps.Select(s =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["step"] = s.Step,
            ["loss"] = s.Loss,
            ["lr"] = s.LearningRate,
            ["grad_norm"] = s.GradNorm,
            ["tokens_per_s"] = s.TokensPerSecond,
            ["extra"] = s.Extra,
        }) + "\n")));
}

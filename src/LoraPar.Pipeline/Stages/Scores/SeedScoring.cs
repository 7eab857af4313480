using LoraPar.Adapters;
using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Model.Objectives;
using LoraPar.Pipeline.Stages.Modeling;

namespace LoraPar.Pipeline.Stages.Scores;

/// <summary>
/// Mask robustness across LoRA-init seeds (<c>importance.robustness_seeds</c>): scores the same sampled examples again with the
/// adapters initialised from the run's seed + 1 … + K (a fresh base model each time, so only φ's init changes) and writes each
/// seed's importance as <c>importance_seed{seed}.safetensors</c>, which the masks stage partitions and compares.
/// </summary>
public static class SeedScoring
{
    /// <summary>The file of the importance scored with LoRA-init seed <paramref name="seed"/>.</summary>
    public static string FileName(long seed) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"importance_seed{seed}.safetensors");

    /// <summary>The further seeds of a run with seed <paramref name="seed"/>.</summary>
    public static IReadOnlyList<long> Seeds(long seed, int count) => Enumerable.Range(1, count).Select(k => seed + k).ToList();

    /// <summary>Scores and writes every further seed's importance.</summary>
    public static void Write(StageContext context, IReadOnlyDictionary<ReasoningSystem, IReadOnlyList<AnswerExample>> splits)
    {
        var manifest = context.Manifest;
        foreach (var seed in Seeds(manifest.Seed, manifest.Importance.RobustnessSeeds))
        {
            context.Cancellation.ThrowIfCancellationRequested();
            using var scope = TorchSharp.torch.NewDisposeScope();
            using var base_ = BaseModel.Load(context);
            var adapters = LoraInjector.Inject(base_.Model, manifest.Lora with { Dropout = 0 }, seed);
            using var result = new ImportanceScorer(base_.Model, adapters, base_.Tokenizer.PadId, manifest.Importance with { Seed = manifest.Seed })
                .Score(splits, cancel: context.Cancellation);
            result.Scores.Save(context.OutputPath(FileName(seed)));
            context.Log($"importance: scored LoRA-init seed {seed} for mask robustness");
        }
    }
}

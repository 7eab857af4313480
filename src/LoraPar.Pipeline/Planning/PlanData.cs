using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Manifest.Sections;

namespace LoraPar.Pipeline.Planning;

/// <summary>
/// How many examples the stages see: the lines of the manifest's JSONL files when they are here, else the dataset's
/// published size (GSM8K: 7,473 train and 1,319 test questions; the synthetic task: its configured sizes), capped by
/// <c>data.max_train_examples</c> / <c>max_eval_examples</c>.
/// </summary>
/// <param name="Train">Train examples (both systems).</param>
/// <param name="Eval">Evaluation questions.</param>
/// <param name="Basis">Where the counts come from.</param>
public sealed record PlanData(int Train, int Eval, string Basis)
{
    private const int Gsm8kTrain = 7473, Gsm8kTest = 1319, Unknown = 1000;

    /// <summary>The share of the train examples a recipe's SFT or GRPO stage trains on: half (D1 or D2, assumed an even split) or all.</summary>
    public double StageShare(TrainingMethod method) => Splits(method) ? 0.5 : 1.0;

    /// <summary>A note for the printout where <see cref="StageShare"/> assumed a split.</summary>
    public string ShareNote(TrainingMethod method) => Splits(method) ? " (half the train set: D1 or D2, assumed an even split)" : "";

    /// <summary>The counts for <paramref name="m"/>.</summary>
    public static PlanData Of(PipelineManifest m)
    {
        var d = m.Data;
        var (train, trainBasis) = Count(d.Train, d.Dataset == DatasetKind.Gsm8k ? Gsm8kTrain : d.Dataset == DatasetKind.Synthetic ? d.SyntheticTrainSize : Unknown);
        var (eval, evalBasis) = Count(d.Eval, d.Dataset == DatasetKind.Gsm8k ? Gsm8kTest : d.Dataset == DatasetKind.Synthetic ? d.SyntheticEvalSize : Unknown);
        if (d.MaxTrainExamples > 0) train = Math.Min(train, d.MaxTrainExamples);
        if (d.MaxEvalExamples > 0) eval = Math.Min(eval, d.MaxEvalExamples);
        return new PlanData(train, eval, $"train {train:N0} ({trainBasis}), eval {eval:N0} ({evalBasis})");
    }

    private static bool Splits(TrainingMethod method) => method is TrainingMethod.LoraPar or TrainingMethod.RlThenSft or TrainingMethod.LoraParSft;

    private static (int Count, string Basis) Count(ManifestPath? path, int fallback)
    {
        if (path?.Resolved is { } file && File.Exists(file) && file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            return (File.ReadLines(file).Count(l => l.Trim().Length > 0), "lines of " + Path.GetFileName(file));
        return (fallback, fallback == Unknown ? "assumed" : "published / configured size");
    }
}

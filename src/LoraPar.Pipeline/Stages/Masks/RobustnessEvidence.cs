using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Pipeline.Stages.Scores;
using static TorchSharp.torch;

namespace LoraPar.Pipeline.Stages.Masks;

/// <summary>
/// Mask robustness in the masks stage (opt-in: <c>importance.robustness_resamples</c>, <c>importance.robustness_seeds</c>):
/// reads the per-example gradients and further seeds' importance the scores stage kept, writes <see cref="MaskRobustnessReport.FileName"/>,
/// its figures, and returns headline metrics (Jaccard at the run's θ, the stable number of examples, the seeds' mean Jaccard).
/// </summary>
public static class RobustnessEvidence
{
    /// <summary>The Jaccard a prefix must reach for every set to count as stable.</summary>
    public const double Threshold = 0.95;

    /// <summary>Computes and writes the robustness artifacts; empty metrics when robustness is off.</summary>
    public static Dictionary<string, double> Write(StageContext context, ImportanceScores scores, PartitionOptions options)
    {
        var settings = context.Manifest.Importance;
        var metrics = new Dictionary<string, double>();
        if (settings.RobustnessResamples == 0 && settings.RobustnessSeeds == 0) return metrics;
        var scoresDirectory = context.UpstreamDirectory(StageKinds.Scores);
        var layout = new LoraLayout(scores.Shapes());
        using var scope = NewDisposeScope();
        IReadOnlyList<ThetaRobustness> thetas = [];
        IReadOnlyList<PrefixRobustness> prefixes = [];
        int? stable = null;
        if (settings.RobustnessResamples > 0)
        {
            using var moments = ImportanceMoments.Load(Path.Combine(scoresDirectory, ImportanceMoments.FileName));
            var examples = ScoredExampleGradients.Load(Path.Combine(scoresDirectory, ScoredExampleGradients.FileName));
            (thetas, prefixes, stable) = MaskRobustness.Resample(examples, layout.Flatten(moments.Parameters, ScalarType.Float64), options,
                settings.RobustnessResamples, Threshold);
        }
        var seeds = settings.RobustnessSeeds == 0 ? null : Seeds(context, scores, layout, options);
        var report = new MaskRobustnessReport(options.Theta, settings.RobustnessResamples, Threshold, thetas, prefixes, stable, seeds);
        report.Write(context.OutputPath(MaskRobustnessReport.FileName));
        MaskRobustnessPlot.Save(context.OutputDirectory, report);
        foreach (var set in MaskRobustnessReport.SetNames)
        {
            if (thetas.FirstOrDefault(t => t.Theta == options.Theta) is { } run) metrics[$"robustness_bootstrap_jaccard_{set}"] = run.Bootstrap[set].Mean;
            if (seeds is not null) metrics[$"robustness_seed_jaccard_{set}"] = seeds.Jaccard[set].Mean;
        }
        if (stable is { } n) metrics["robustness_stable_examples"] = n;
        return metrics;
    }

    private static SeedRobustness Seeds(StageContext context, ImportanceScores scores, LoraLayout layout, PartitionOptions options)
    {
        var others = new List<(long, Tensor, Tensor)>();
        foreach (var seed in SeedScoring.Seeds(context.Manifest.Seed, context.Manifest.Importance.RobustnessSeeds))
        {
            using var other = ImportanceScores.Load(Path.Combine(context.UpstreamDirectory(StageKinds.Scores), SeedScoring.FileName(seed)));
            others.Add((seed, Flat(layout, other, ReasoningSystem.System1), Flat(layout, other, ReasoningSystem.System2)));
        }
        return MaskRobustness.Seeds(Flat(layout, scores, ReasoningSystem.System1), Flat(layout, scores, ReasoningSystem.System2), others,
            options, context.Manifest.Importance.RobustnessResamples);
    }

    private static Tensor Flat(LoraLayout layout, ImportanceScores scores, ReasoningSystem system) =>
        layout.Flatten(scores.For(system), ScalarType.Float64);
}

using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// Where a training stage's epochs began, for the marks on its training curves: with E epochs and no <c>max_steps</c>, the
/// S steps it ran split into E equal epochs (the trainers run the same number of steps every epoch), so epoch k + 1 starts
/// after step k·S/E. None for one epoch, a step cap, or a count that does not split evenly (pure).
/// </summary>
public static class EpochBoundaries
{
    /// <summary>The steps after which epochs 2…E began, from the manifest and the stage's metrics (<c>{stage}_steps</c>).</summary>
    public static IReadOnlyList<int> Of(PipelineManifest manifest, string stage, IReadOnlyDictionary<string, double> metrics)
    {
        var (epochs, capped) = stage switch
        {
            StageKinds.Sft => (manifest.Sft.Epochs, manifest.Sft.MaxSteps is not null),
            StageKinds.Rl => (manifest.Rl.Epochs, manifest.Rl.MaxSteps is not null),
            _ => (1, false),
        };
        if (epochs < 2 || capped || !metrics.TryGetValue($"{stage}_steps", out var ran)) return [];
        var steps = (int)ran;
        return steps % epochs != 0 ? [] : Enumerable.Range(1, epochs - 1).Select(k => k * steps / epochs).ToList();
    }
}

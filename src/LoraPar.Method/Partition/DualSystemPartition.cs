using LoraPar.Core;
using LoraPar.Method.Importance;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// The LoRA-PAR partition of one adapter (paper §3.4, Algorithm 1) under a <see cref="MaskStrategy"/>: the flat sets
/// (<see cref="Sets"/>), the L2-normalised importance vectors it was cut from (for Figure 4), the θ-curve of the same
/// rankings and the warnings met on the way. <see cref="ToMasks"/> gives the per-tensor stage masks training uses.
/// Owns its tensors, which live on the device it was computed on.
/// </summary>
public sealed class DualSystemPartition : IDisposable
{
    private DualSystemPartition(
        PartitionOptions options, LoraLayout layout, PartitionSets sets, ImportanceRanking system1, ImportanceRanking system2,
        IReadOnlyList<string> warnings)
    {
        Options = options;
        Layout = layout;
        Sets = sets;
        System1Scores = system1.Scores.clone().DetachFromDisposeScope();
        System2Scores = system2.Scores.clone().DetachFromDisposeScope();
        ThetaCurve = Partition.ThetaCurve.Compute(system1, system2, options.Alpha, options.Beta);
        Warnings = warnings;
    }

    /// <summary>The options it was made with.</summary>
    public PartitionOptions Options { get; }

    /// <summary>The flat element order.</summary>
    public LoraLayout Layout { get; }

    /// <summary>S1, S2 and both stages' active sets as flat masks.</summary>
    public PartitionSets Sets { get; }

    /// <summary>System 1's importance, flat and L2-normalised: (n,) float64.</summary>
    public Tensor System1Scores { get; }

    /// <summary>System 2's importance, flat and L2-normalised: (n,) float64.</summary>
    public Tensor System2Scores { get; }

    /// <summary>% of elements in each set of the importance partition for θ = 0.1 … 1.0, at this partition's α and β.</summary>
    public IReadOnlyList<ThetaPoint> ThetaCurve { get; }

    /// <summary>Problems that do not stop the partition (zero-scoring factors, an empty stage).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Partitions the adapter on <paramref name="device"/> (CPU by default; a GPU sorts a 7B adapter's 18M elements in
    /// milliseconds). Options out of range, all-zero or non-finite importance are <see cref="LoraPar.Core.BadInputException"/>.
    /// The random control draws the counts of the importance partition with the same θ, α and β; the full control activates all.
    /// </summary>
    /// <remarks>
    /// With <paramref name="estimator"/> (another estimator's scores of the same tensors) S1 and S2 keep the per-tensor counts of
    /// the θ cut of <paramref name="scores"/> but choose by the estimator (<see cref="EqualCountSelection"/>); the figures still
    /// show <paramref name="scores"/>.
    /// </remarks>
    public static DualSystemPartition Create(ImportanceScores scores, PartitionOptions options, Device? device = null, ImportanceScores? estimator = null)
    {
        options.Validate();
        var warnings = ImportanceDiagnostics.Check(scores).ToList();
        var layout = new LoraLayout(scores.Shapes());
        using var scope = NewDisposeScope();
        using var ranking1 = ImportanceRanking.Of(layout.Flatten(scores.For(ReasoningSystem.System1), ScalarType.Float64, device));
        using var ranking2 = ImportanceRanking.Of(layout.Flatten(scores.For(ReasoningSystem.System2), ScalarType.Float64, device));
        var sets = Choose(options, ranking1, ranking2, () => estimator is null
            ? ImportanceSelection.Select(ranking1, ranking2, options.Theta, options.Alpha, options.Beta)
            : EqualCountSelection.Partition(ranking1, ranking2, layout.Flatten(estimator.For(ReasoningSystem.System1), ScalarType.Float64, device),
                layout.Flatten(estimator.For(ReasoningSystem.System2), ScalarType.Float64, device), layout, options.Theta, options.Alpha, options.Beta));
        warnings.AddRange(StageWarnings(sets.Counts, options));
        return new DualSystemPartition(options, layout, sets, ranking1, ranking2, warnings);
    }

    /// <summary>The per-tensor stage masks (bool, CPU, shaped like each LoRA tensor).</summary>
    public PartitionMasks ToMasks()
    {
        var stage1 = Layout.Unflatten(Sets.Stage1);
        var stage2 = Layout.Unflatten(Sets.Stage2);
        try
        {
            return new PartitionMasks(stage1, stage2);
        }
        finally
        {
            foreach (var t in stage1.Values.Concat(stage2.Values)) t.Dispose();
        }
    }

    /// <summary>Frees the sets and scores.</summary>
    public void Dispose()
    {
        Sets.Dispose();
        System1Scores.Dispose();
        System2Scores.Dispose();
    }

    private static PartitionSets Choose(PartitionOptions options, ImportanceRanking s1, ImportanceRanking s2, Func<PartitionSets> importance)
    {
        switch (options.Selection)
        {
            case MaskStrategy.Full:
                return PartitionSets.All(s1.Count, s1.Order.device);
            case MaskStrategy.Random:
                using (var reference = importance())
                {
                    var shared = reference.Counts.Shared;
                    return RandomControl.Select(reference.Counts, ActivationFraction.Floor(options.Alpha, shared),
                                                ActivationFraction.Floor(options.Beta, shared), options.Seed, s1.Order.device);
                }
            default:
                return importance();
        }
    }

    private static IEnumerable<string> StageWarnings(PartitionCounts counts, PartitionOptions options)
    {
        if (counts.Stage1 == 0)
            yield return $"stage 1 activates no LoRA element: Ω1-only is empty and ⌊α·|shared|⌋ = 0 (α = {options.Alpha}); raise α or θ.";
        if (counts.Stage2 == 0)
            yield return $"stage 2 activates no LoRA element: Ω2-only is empty and ⌊β·|shared|⌋ = 0 (β = {options.Beta}); raise β or θ.";
    }
}

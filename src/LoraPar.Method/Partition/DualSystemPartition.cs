using LoraPar.Method.Importance;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// The LoRA-PAR partition of one adapter (paper §3.4, Algorithm 1) under a <see cref="MaskStrategy"/>: the flat sets
/// (<see cref="Sets"/>), the L2-normalised importance vectors it was cut from (for the θ-curve and Figure 4) and the
/// warnings met on the way. <see cref="ToMasks"/> gives the per-tensor stage masks training uses. Owns its tensors.
/// </summary>
public sealed class DualSystemPartition : IDisposable
{
    private DualSystemPartition(
        PartitionOptions options, LoraLayout layout, PartitionSets sets, Tensor system1Scores, Tensor system2Scores,
        IReadOnlyList<string> warnings)
    {
        Options = options;
        Layout = layout;
        Sets = sets;
        System1Scores = system1Scores.DetachFromDisposeScope();
        System2Scores = system2Scores.DetachFromDisposeScope();
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

    /// <summary>Problems that do not stop the partition (zero-scoring factors, an empty stage).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Partitions the adapter. Options out of range, all-zero or non-finite importance are <see cref="LoraPar.Core.BadInputException"/>.
    /// The random control draws the counts of the importance partition with the same θ, α and β; the full control activates all.
    /// </summary>
    public static DualSystemPartition Create(ImportanceScores scores, PartitionOptions options)
    {
        options.Validate();
        var warnings = ImportanceDiagnostics.Check(scores).ToList();
        var layout = new LoraLayout(scores.Shapes());
        using var scope = NewDisposeScope();
        var s1 = CumulativeCut.L2Normalise(layout.Flatten(scores.For(DualSystem.System1), ScalarType.Float64));   // (n,)
        var s2 = CumulativeCut.L2Normalise(layout.Flatten(scores.For(DualSystem.System2), ScalarType.Float64));   // (n,)
        var sets = Choose(options, s1, s2);
        warnings.AddRange(StageWarnings(sets.Counts, options));
        return new DualSystemPartition(options, layout, sets, s1, s2, warnings);
    }

    /// <summary>The per-tensor stage masks (bool, shaped like each LoRA tensor).</summary>
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

    private static PartitionSets Choose(PartitionOptions options, Tensor s1, Tensor s2)
    {
        switch (options.Strategy)
        {
            case MaskStrategy.Full:
                return PartitionSets.All(s1.shape[0]);
            case MaskStrategy.Random:
                using (var reference = ImportanceSelection.Select(s1, s2, options.Theta, options.Alpha, options.Beta))
                {
                    var shared = reference.Counts.Shared;
                    return RandomControl.Select(reference.Counts, ActivationFraction.Floor(options.Alpha, shared),
                                                ActivationFraction.Floor(options.Beta, shared), options.Seed);
                }
            default:
                return ImportanceSelection.Select(s1, s2, options.Theta, options.Alpha, options.Beta);
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

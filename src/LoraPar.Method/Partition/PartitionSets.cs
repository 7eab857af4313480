using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>Element counts of a partition (all over the flat LoRA vector).</summary>
/// <param name="Total">All LoRA elements.</param>
/// <param name="System1">|S1|, the θ-cut set of System 1.</param>
/// <param name="System2">|S2|.</param>
/// <param name="Omega1Only">|Ω1-only| = |S1 ∖ S2|.</param>
/// <param name="Omega2Only">|Ω2-only| = |S2 ∖ S1|.</param>
/// <param name="Shared">|Ω-shared| = |S1 ∩ S2|.</param>
/// <param name="Stage1">Active in stage 1.</param>
/// <param name="Stage2">Active in stage 2.</param>
public sealed record PartitionCounts(
    long Total, long System1, long System2, long Omega1Only, long Omega2Only, long Shared, long Stage1, long Stage2)
{
    /// <summary>|S1 ∪ S2|.</summary>
    public long Union => Omega1Only + Omega2Only + Shared;

    /// <summary>Jaccard(S1, S2) = |S1 ∩ S2| / |S1 ∪ S2| (0 when both are empty).</summary>
    public double Jaccard => Union == 0 ? 0 : (double)Shared / Union;
}

/// <summary>
/// The sets of Algorithm 1 as flat bool (n,) CPU masks over <see cref="LoraLayout"/>: S1, S2 (θ cuts) and the two stages'
/// active elements. Owns its tensors.
/// </summary>
public sealed class PartitionSets : IDisposable
{
    /// <summary>Takes ownership of four bool (n,) masks.</summary>
    public PartitionSets(Tensor system1, Tensor system2, Tensor stage1, Tensor stage2)
    {
        System1 = system1.DetachFromDisposeScope();
        System2 = system2.DetachFromDisposeScope();
        Stage1 = stage1.DetachFromDisposeScope();
        Stage2 = stage2.DetachFromDisposeScope();
        Counts = Count();
    }

    /// <summary>The full control (plain LoRA): every element in S1, S2 and both stages.</summary>
    public static PartitionSets All(long n, Device? device = null) =>
        new(ones(n, ScalarType.Bool, device), ones(n, ScalarType.Bool, device),
            ones(n, ScalarType.Bool, device), ones(n, ScalarType.Bool, device));

    /// <summary>S1: System 1's θ-cut set.</summary>
    public Tensor System1 { get; }

    /// <summary>S2: System 2's θ-cut set.</summary>
    public Tensor System2 { get; }

    /// <summary>Active in stage 1 (SFT).</summary>
    public Tensor Stage1 { get; }

    /// <summary>Active in stage 2 (GRPO).</summary>
    public Tensor Stage2 { get; }

    /// <summary>The counts of every set.</summary>
    public PartitionCounts Counts { get; }

    /// <summary>The active mask of <paramref name="stage"/>.</summary>
    public Tensor For(TrainingStage stage) => stage == TrainingStage.Stage1 ? Stage1 : Stage2;

    /// <summary>Frees the masks.</summary>
    public void Dispose()
    {
        System1.Dispose();
        System2.Dispose();
        Stage1.Dispose();
        Stage2.Dispose();
    }

    private PartitionCounts Count()
    {
        using var scope = NewDisposeScope();
        long Sum(Tensor mask) => mask.sum().item<long>();
        var shared = System1.logical_and(System2);
        return new PartitionCounts(
            System1.shape[0], Sum(System1), Sum(System2),
            Sum(System1.logical_and(System2.logical_not())), Sum(System2.logical_and(System1.logical_not())), Sum(shared),
            Sum(Stage1), Sum(Stage2));
    }
}

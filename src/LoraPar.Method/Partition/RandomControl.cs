using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// The random control (Table 3 "Rand."): a seeded random partition with exactly the counts of a reference partition at
/// every level — |Ω1-only|, |Ω2-only|, |shared| and therefore |S1|, |S2|, and both stages' active counts. One random
/// permutation of the flat indices deals out shared, Ω1-only and Ω2-only; stage 1 takes the first ⌊α·|shared|⌋ shared
/// elements of that permutation, stage 2 the first ⌊β·|shared|⌋ of a second, independent permutation of the shared set.
/// The permutations are drawn on the CPU and then moved to <c>device</c>, so the same seed and counts give the same masks on
/// any device and machine with the same libtorch.
/// </summary>
public static class RandomControl
{
    /// <summary>A random partition with the counts of <paramref name="reference"/>.</summary>
    public static PartitionSets Select(
        PartitionCounts reference, long stage1SharedCount, long stage2SharedCount, int seed, Device? device = null)
    {
        var (n, only1, only2, shared) = (reference.Total, reference.Omega1Only, reference.Omega2Only, reference.Shared);
        if (only1 + only2 + shared > n || stage1SharedCount > shared || stage2SharedCount > shared)
            throw new ArgumentException("the reference counts do not fit in the element count", nameof(reference));
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var permutation = randperm(n, generator: generator).to(device ?? CPU);      // (n,)
        var sharedIndices = permutation.narrow(0, 0, shared);             // (|shared|,)
        var only1Indices = permutation.narrow(0, shared, only1);          // (|Ω1-only|,)
        var only2Indices = permutation.narrow(0, shared + only1, only2);  // (|Ω2-only|,)
        var stage2Order = randperm(shared, generator: generator).to(device ?? CPU);   // (|shared|,) second, independent draw
        var stage2Pick = sharedIndices.index_select(0, stage2Order.narrow(0, 0, stage2SharedCount));
        var system1 = cat([sharedIndices, only1Indices], 0);
        var system2 = cat([sharedIndices, only2Indices], 0);
        var stage1 = cat([only1Indices, sharedIndices.narrow(0, 0, stage1SharedCount)], 0);
        var stage2 = cat([only2Indices, stage2Pick], 0);
        return new PartitionSets(
            CumulativeCut.MaskOf(n, system1).MoveToOuterDisposeScope(), CumulativeCut.MaskOf(n, system2).MoveToOuterDisposeScope(),
            CumulativeCut.MaskOf(n, stage1).MoveToOuterDisposeScope(), CumulativeCut.MaskOf(n, stage2).MoveToOuterDisposeScope());
    }
}

using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// One system's importance sorted once, for every cut that follows: the L2-normalised scores (n,) float64, their
/// descending order (n,) int64 (ties by ascending flat index, <see cref="CumulativeCut"/>) and the cumulative sums along
/// it (n,) float64. The partition and the θ-curve share one ranking per system, so each system is sorted exactly once.
/// Owns its tensors; they live on the scores' device.
/// </summary>
public sealed class ImportanceRanking : IDisposable
{
    private ImportanceRanking(Tensor scores, Tensor order, Tensor cumulative)
    {
        Scores = scores.DetachFromDisposeScope();
        Order = order.DetachFromDisposeScope();
        Cumulative = cumulative.DetachFromDisposeScope();
    }

    /// <summary>L2-normalised scores: (n,) float64.</summary>
    public Tensor Scores { get; }

    /// <summary>Flat indices in descending score order: (n,) int64.</summary>
    public Tensor Order { get; }

    /// <summary>Cumulative sums of <see cref="Scores"/> along <see cref="Order"/>: (n,) float64.</summary>
    public Tensor Cumulative { get; }

    /// <summary>Number of elements.</summary>
    public long Count => Scores.shape[0];

    /// <summary>Normalises and sorts one system's flat scores (n,); an all-zero vector cannot be cut and is rejected.</summary>
    public static ImportanceRanking Of(Tensor flatScores)
    {
        using var scope = NewDisposeScope();
        var scores = CumulativeCut.L2Normalise(flatScores);   // (n,)
        var order = CumulativeCut.DescendingOrder(scores);    // (n,)
        var cumulative = CumulativeCut.CumulativeSums(scores, order);
        if (!(cumulative[-1].item<double>() > 0))
            throw new ArgumentException("the scores sum to zero; there is nothing to rank", nameof(flatScores));
        return new ImportanceRanking(scores.MoveToOuterDisposeScope(), order.MoveToOuterDisposeScope(), cumulative.MoveToOuterDisposeScope());
    }

    /// <summary>Length of the θ cut (<see cref="CumulativeCut.PrefixLength"/>).</summary>
    public long PrefixLength(double theta) => CumulativeCut.PrefixLength(Cumulative, theta);

    /// <summary>The θ-cut set as a bool (n,) mask.</summary>
    public Tensor Select(double theta)
    {
        using var scope = NewDisposeScope();
        return CumulativeCut.MaskOf(Count, Order.narrow(0, 0, PrefixLength(theta))).MoveToOuterDisposeScope();
    }

    /// <summary>Each element's position in the descending order: (n,) int64, the inverse permutation of <see cref="Order"/>.</summary>
    public Tensor Ranks()
    {
        using var scope = NewDisposeScope();
        var positions = HeldScalars.Range(Count, ScalarType.Int64, Order.device);   // (n,)
        return empty_like(Order).scatter_(0, Order, positions).MoveToOuterDisposeScope();
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Scores.Dispose();
        Order.Dispose();
        Cumulative.Dispose();
    }
}

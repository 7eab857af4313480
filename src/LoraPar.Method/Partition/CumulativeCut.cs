using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// The θ cut of one system's importance (paper §3.4): L2-normalise, sort descending, keep the shortest prefix whose
/// cumulative sum reaches θ of the total. Pure functions over 1-D float64 CPU tensors.
/// <para>
/// Ties: the descending order is stable, so equal scores keep ascending flat-index order (<see cref="LoraLayout"/>) and the
/// prefix is cut exactly where the cumulative sum first reaches θ·total — a tie straddling the cut is split by flat index.
/// This keeps the set as small as the definition asks and fully deterministic.
/// "Reaches" allows a relative slack of 1e-12, so that θ given in decimal counts exactly (0.3 of ten equal scores is three
/// elements, although 0.3 · 10 is 3.0000000000000004 in binary). At θ = 1 the prefix ends at the last non-zero score:
/// zero-importance elements are never selected.
/// </para>
/// </summary>
public static class CumulativeCut
{
    /// <summary>Relative slack of "reaches θ·total".</summary>
    public const double Slack = 1e-12;

    /// <summary>s / ‖s‖₂ as float64 (n,); an all-zero vector stays zero.</summary>
    public static Tensor L2Normalise(Tensor scores)
    {
        using var scope = NewDisposeScope();
        var s = scores.to(ScalarType.Float64).reshape(-1);   // (n,)
        var norm = s.Squared().sum().sqrt().item<double>();
        return (norm > 0 ? s.Over(norm) : s.clone()).MoveToOuterDisposeScope();
    }

    /// <summary>Indices of <paramref name="scores"/> (n,) in descending score order, ties by ascending index: (n,) int64.</summary>
    public static Tensor DescendingOrder(Tensor scores)
    {
        var (values, indices) = scores.sort(dim: 0, descending: true, stable: true);
        values.Dispose();
        return indices;
    }

    /// <summary>Cumulative sums of the scores taken in <paramref name="order"/>: (n,) float64, non-decreasing.</summary>
    public static Tensor CumulativeSums(Tensor scores, Tensor order)
    {
        using var scope = NewDisposeScope();
        return scores.to(ScalarType.Float64).index_select(0, order).cumsum(0).MoveToOuterDisposeScope();   // (n,)
    }

    /// <summary>Length of the shortest prefix whose cumulative sum reaches θ of the total (the last cumulative sum).</summary>
    public static long PrefixLength(Tensor cumulativeSums, double theta)
    {
        if (theta is not (> 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(theta), theta, "θ must be in (0, 1]");
        using var scope = NewDisposeScope();
        var n = cumulativeSums.shape[0];
        var total = cumulativeSums[n - 1].item<double>();
        if (!(total > 0)) throw new ArgumentException("the scores sum to zero; there is nothing to cut", nameof(cumulativeSums));
        var target = theta * total * (1 - Slack);
        var probe = tensor(new[] { target }, ScalarType.Float64, device: cumulativeSums.device);   // (1,)
        var first = searchsorted(cumulativeSums, probe).item<long>();   // first i with cum[i] ≥ target
        return Math.Min(n, first + 1);
    }

    /// <summary>The selected set as a bool (n,) mask: the first <see cref="PrefixLength"/> elements of the descending order.</summary>
    public static Tensor Select(Tensor scores, double theta)
    {
        using var ranking = ImportanceRanking.Of(scores);
        return ranking.Select(theta);
    }

    /// <summary>A bool (n,) mask that is true at <paramref name="indices"/>.</summary>
    public static Tensor MaskOf(long n, Tensor indices)
    {
        using Scalar on = true;
        return zeros(n, ScalarType.Bool, device: indices.device).index_fill_(0, indices, on);
    }
}

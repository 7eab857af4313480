using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Inits;

/// <summary>
/// Randomized low-rank SVD (Halko, Martinsson and Tropp 2009, algorithm 5.1 with <c>niter</c> subspace iterations) as
/// <c>torch.svd_lowrank(A, q, niter)</c> defines it, which PEFT's <c>pissa_niter_n</c> init calls: a Gaussian sketch, QR
/// re-orthogonalisation after every multiplication, then the exact SVD of the small projected matrix.
/// </summary>
public static class LowRankSvd
{
    /// <summary>
    /// Returns (U, S, V) with A ≈ U·diag(S)·Vᵀ: U (m, q), S (q), V (n, q). The sketch is drawn from <paramref name="generator"/>
    /// on the CPU and moved to A's device, so a seed gives the same sketch on every device.
    /// </summary>
    public static (Tensor U, Tensor S, Tensor V) Compute(Tensor a, int q, int niter, Generator generator)
    {
        if (a.dim() != 2) throw new ArgumentException($"low-rank SVD needs a matrix, got shape [{string.Join(", ", a.shape)}]", nameof(a));
        using var scope = NewDisposeScope();
        var (m, n) = (a.shape[0], a.shape[1]);
        var tall = m >= n;
        var x = tall ? a : a.mT;                                  // (M, N) with M ≥ N
        var basis = ApproximateBasis(x, q, niter, generator);     // (M, q)
        var projected = basis.mT.matmul(x);                       // (q, M) @ (M, N) = (q, N)
        var (u, s, vh) = linalg.svd(projected, fullMatrices: false);
        var uFull = basis.matmul(u);                              // (M, q) @ (q, q) = (M, q)
        var v = vh.mT;                                            // (N, q)
        var (outU, outV) = tall ? (uFull, v) : (v, uFull);
        return (outU.MoveToOuterDisposeScope(), s.MoveToOuterDisposeScope(), outV.MoveToOuterDisposeScope());
    }

    private static Tensor ApproximateBasis(Tensor x, int q, int niter, Generator generator)
    {
        var sketch = randn([x.shape[1], q], dtype: x.dtype, generator: generator).to(x.device);  // (N, q)
        var basis = linalg.qr(x.matmul(sketch)).Q;                // (M, N) @ (N, q) → Q (M, q)
        for (var i = 0; i < niter; i++)
        {
            basis = linalg.qr(x.mT.matmul(basis)).Q;              // (N, M) @ (M, q) → Q (N, q)
            basis = linalg.qr(x.matmul(basis)).Q;                 // (M, N) @ (N, q) → Q (M, q)
        }
        return basis;
    }
}

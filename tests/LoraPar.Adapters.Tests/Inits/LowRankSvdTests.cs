using LoraPar.Adapters.Inits;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests.Inits;

public sealed class LowRankSvdTests : TorchTest
{
    [Theory]
    [InlineData(40, 24)]
    [InlineData(24, 40)]
    public void Recovers_the_top_singular_triplets_of_a_low_rank_matrix(long m, long n)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var a = randn(m, 4).matmul(randn(4, n)) + 1e-4 * randn(m, n);   // (m, 4) @ (4, n): rank 4 plus noise
        using var g = new Generator(3, CPU);
        var (u, s, v) = LowRankSvd.Compute(a, 4, niter: 2, g);
        Assert.Equal([m, 4L], u.shape);
        Assert.Equal([n, 4L], v.shape);
        var exact = linalg.svdvals(a)[..4];
        Assert.True(RelativeError(s, exact) < 1e-4);
        var rebuilt = (u * s.unsqueeze(0)).matmul(v.mT);                 // (m, 4) @ (4, n)
        Assert.True(RelativeError(rebuilt, a) < 1e-3);
    }
}

using CsCheck;

namespace LoraPar.Core.Tests;

public sealed class DeterministicSamplingTests
{
    [Fact]
    public void Permutation_is_a_pure_function_of_n_and_seed()
    {
        Assert.Equal(DeterministicSampling.Permutation(50, 7), DeterministicSampling.Permutation(50, 7));
        Assert.NotEqual(DeterministicSampling.Permutation(50, 7), DeterministicSampling.Permutation(50, 8));
        Assert.Equal(Enumerable.Range(0, 50), DeterministicSampling.Permutation(50, 7).Order());
    }

    [Fact]
    public void Permutation_keeps_the_plain_modulo_shuffle_wherever_no_draw_is_rejected()
    {
        // A draw below i + 1 is rejected only when its 64 bits fall in the top (2^64 mod (i + 1)) values, which is
        // vanishingly rare for these sizes: the unbiased permutation keeps every sample the old modulo one chose.
        foreach (var n in new[] { 0, 1, 2, 7, 100, 1000, 7473 })
            foreach (var seed in new long[] { 0, 7, 8, 9, -3 })
                Assert.Equal(PlainModuloPermutation(n, seed), DeterministicSampling.Permutation(n, seed));
    }

    [Fact]
    public void Split_partitions_the_items_and_keeps_their_order() =>
        Gen.Select(Gen.Int[0, 200], Gen.Long).SelectMany(p => Gen.Int[0, p.Item1].Select(e => (N: p.Item1, Seed: p.Item2, Eval: e)))
            .Sample(c =>
            {
                var items = Enumerable.Range(0, c.N).ToList();
                var (train, eval) = DeterministicSampling.Split(items, c.Eval, c.Seed);
                return eval.Count == c.Eval
                       && train.Concat(eval).Order().SequenceEqual(items)
                       && train.SequenceEqual(train.Order()) && eval.SequenceEqual(eval.Order());
            });

    [Fact]
    public void Subsample_is_an_ordered_subset_of_the_requested_size()
    {
        var items = Enumerable.Range(100, 40).ToList();
        var sample = DeterministicSampling.Subsample(items, 10, 1234);
        Assert.Equal(10, sample.Count);
        Assert.Equal(sample.Order(), sample);
        Assert.All(sample, x => Assert.Contains(x, items));
        Assert.Equal(sample, DeterministicSampling.Subsample(items, 10, 1234));
        Assert.Equal(items, DeterministicSampling.Subsample(items, 99, 1234));
    }

    [Fact]
    public void Fraction_split_rounds_the_eval_size()
    {
        var (train, eval) = DeterministicSampling.SplitFraction(Enumerable.Range(0, 10).ToList(), 0.25, 3);
        Assert.Equal((7, 3), (train.Count, eval.Count));
    }

    /// <summary>The Fisher–Yates shuffle with the modulo-biased draw <c>bits % (i + 1)</c> (the sampler's former draw).</summary>
    private static int[] PlainModuloPermutation(int n, long seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        var random = new DeterministicRandom(seed);
        for (var i = n - 1; i > 0; i--)
        {
            var j = (int)(random.NextBits() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}

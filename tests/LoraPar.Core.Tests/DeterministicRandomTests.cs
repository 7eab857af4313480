using CsCheck;

namespace LoraPar.Core.Tests;

public sealed class DeterministicRandomTests
{
    [Fact]
    public void Matches_the_splitmix64_reference_sequence_for_seed_zero()
    {
        // Reference values of SplitMix64 (Steele, Lea, Flood 2014) seeded with 0.
        var rng = new DeterministicRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, rng.NextBits());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.NextBits());
        Assert.Equal(0x06C45D188009454FUL, rng.NextBits());
    }

    [Fact]
    public void Next_stays_in_its_inclusive_range_and_reaches_both_ends()
    {
        Gen.Int[-50, 50].Select(Gen.Int[0, 6], Gen.Long).Sample((min, width, seed) =>
        {
            var rng = new DeterministicRandom(seed);
            var draws = Enumerable.Range(0, 400).Select(_ => rng.Next(min, min + width)).ToList();
            return draws.All(d => d >= min && d <= min + width) && draws.Contains(min) && draws.Contains(min + width);
        });
    }

    [Fact]
    public void Streams_of_one_seed_differ_and_shuffle_is_a_permutation()
    {
        Assert.NotEqual(DeterministicRandom.ForStream(1, 1).NextBits(), DeterministicRandom.ForStream(1, 2).NextBits());
        var shuffled = new DeterministicRandom(3).Shuffle(Enumerable.Range(0, 50));
        Assert.Equal(Enumerable.Range(0, 50), shuffled.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), shuffled);
    }

    [Fact]
    public void NextBelow_has_no_modulo_bias_where_the_plain_modulo_has_a_large_one()
    {
        // bound = 3·2^62, so 2^64 = bound + 2^62: the plain `bits % bound` maps the top quarter of the 64-bit values onto
        // [0, 2^62) a second time, so a draw lands below 2^62 with probability 1/2 instead of the uniform 1/3.
        const ulong bound = 3UL << 62, third = 1UL << 62;
        const int draws = 30_000;                                                   // σ of a share ≈ 0.003
        var plain = new DeterministicRandom(5);
        var unbiased = new DeterministicRandom(5);
        var plainLow = Enumerable.Range(0, draws).Count(_ => plain.NextBits() % bound < third) / (double)draws;
        var unbiasedLow = Enumerable.Range(0, draws).Count(_ => unbiased.NextBelow(bound) < third) / (double)draws;
        Assert.InRange(plainLow, 0.49, 0.51);
        Assert.InRange(unbiasedLow, 0.32, 0.347);
    }

    [Fact]
    public void NextBelow_a_power_of_two_is_the_plain_modulo_of_the_same_stream()
    {
        var plain = new DeterministicRandom(9);
        var unbiased = new DeterministicRandom(9);
        foreach (var bound in new ulong[] { 1, 2, 8, 1UL << 20, 1UL << 63 })
            for (var i = 0; i < 100; i++) Assert.Equal(plain.NextBits() % bound, unbiased.NextBelow(bound));
    }
}

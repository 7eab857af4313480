using CsCheck;
using LoraPar.Synthetic;

namespace LoraPar.Synthetic.Tests;

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
}

using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Partition;

public sealed class RandomControlTests
{
    public RandomControlTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void The_random_control_matches_every_count_but_not_the_elements()
    {
        using var scope = NewDisposeScope();
        using var scores = SyntheticScores.Create(seed: 3);
        using var importance = DualSystemPartition.Create(scores, new PartitionOptions(0.9, 0.6, 0.8));
        using var random = DualSystemPartition.Create(scores, new PartitionOptions(0.9, 0.6, 0.8, MaskStrategy.Random, Seed: 17));
        Assert.Equal(importance.Sets.Counts, random.Sets.Counts);
        foreach (var stage in TrainingStageNames.All)
        {
            var (a, b) = (importance.Sets.For(stage), random.Sets.For(stage));
            var overlap = a.logical_and(b).sum().item<long>();
            Assert.True(overlap < a.sum().item<long>(), $"{stage}: the random mask equals the importance mask");
        }
    }

    [Fact]
    public void The_seed_fixes_the_random_masks()
    {
        using var scope = NewDisposeScope();
        using var scores = SyntheticScores.Create(seed: 3);
        PartitionOptions Options(int seed) => new(0.9, 1, 1, MaskStrategy.Random, seed);
        using var first = DualSystemPartition.Create(scores, Options(5));
        using var again = DualSystemPartition.Create(scores, Options(5));
        using var other = DualSystemPartition.Create(scores, Options(6));
        Assert.True(first.Sets.Stage1.equal(again.Sets.Stage1).all().item<bool>());
        Assert.True(first.Sets.Stage2.equal(again.Sets.Stage2).all().item<bool>());
        Assert.False(first.Sets.Stage1.equal(other.Sets.Stage1).all().item<bool>());
    }
}

using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Partition;

public sealed class MaskRobustnessTests
{
    public MaskRobustnessTests() => TorchRuntime.EnsureInitialized();

    private static readonly PartitionOptions Options = new(Theta: 0.8, Seed: 3);

    [Fact]
    public void Identical_examples_give_identical_masks_under_every_resample_and_prefix()
    {
        using var scope = NewDisposeScope();
        var row = linspace(-1, 1, 40, ScalarType.Float32);   // (n,) one example's gradient
        var examples = new Dictionary<ReasoningSystem, Tensor>
        {
            [ReasoningSystem.System1] = row.expand(12, 40).contiguous(),   // (N, n)
            [ReasoningSystem.System2] = (row * row).expand(9, 40).contiguous(),
        };
        var phi = linspace(0.5, 2, 40, ScalarType.Float64);
        var (thetas, prefixes, stable) = MaskRobustness.Resample(examples, phi, Options, 25, 0.95);
        Assert.Contains(thetas, t => t.Theta == 0.8);
        Assert.All(thetas, t => Assert.All(t.Bootstrap.Values, i => Assert.Equal(new Interval(1, 1, 1), i)));
        Assert.Equal([2, 4, 8, 12], prefixes.Select(p => p.Examples));
        Assert.All(prefixes, p => Assert.All(p.Jaccard.Values, j => Assert.Equal(1, j)));
        Assert.Equal(2, stable);
        Assert.Equal(1, thetas.Single(t => t.Theta == 0.8).VersusRunTheta["s1"]);
        Assert.True(thetas.Single(t => t.Theta == 0.5).VersusRunTheta["s1"] < 1, "a lower θ keeps fewer elements");
    }

    [Fact]
    public void Noisy_examples_give_intervals_below_one_and_no_early_stability()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        var examples = new Dictionary<ReasoningSystem, Tensor>
        {
            [ReasoningSystem.System1] = randn([16, 200], ScalarType.Float32, generator: generator),   // (N, n)
            [ReasoningSystem.System2] = randn([16, 200], ScalarType.Float32, generator: generator),
        };
        var (thetas, prefixes, stable) = MaskRobustness.Resample(examples, ones(200, ScalarType.Float64), Options, 30, 0.95);
        var run = thetas.Single(t => t.Theta == 0.8).Bootstrap["s1"];
        Assert.True(run.Low < run.Mean && run.Mean < 1, $"{run}");
        Assert.Equal(1, prefixes[^1].Jaccard["s1"]);   // the full prefix is the full sample
        Assert.Null(stable);
    }

    [Fact]
    public void Seed_overlap_is_one_for_the_same_scores_and_the_interval_bootstraps_the_mean()
    {
        using var scores = SyntheticScores.Create(1);
        using var other = SyntheticScores.Create(2);
        var layout = new LoraLayout(scores.Shapes());
        using var scope = NewDisposeScope();
        Tensor Flat(ImportanceScores s, ReasoningSystem system) => layout.Flatten(s.For(system), ScalarType.Float64);
        var (s1, s2) = (Flat(scores, ReasoningSystem.System1), Flat(scores, ReasoningSystem.System2));
        var result = MaskRobustness.Seeds(s1, s2, [(12, s1, s2), (13, Flat(other, ReasoningSystem.System1), Flat(other, ReasoningSystem.System2))], Options, 0);
        Assert.Equal([12L, 13L], result.Seeds);
        Assert.Equal(1, result.Values["s1"][0]);
        Assert.True(result.Values["s1"][1] < 1);
        var interval = result.Jaccard["s1"];
        Assert.Equal((1 + result.Values["s1"][1]) / 2, interval.Mean, 12);
        Assert.InRange(interval.Low, result.Values["s1"][1], interval.Mean);
        Assert.InRange(interval.High, interval.Mean, 1);
    }
}

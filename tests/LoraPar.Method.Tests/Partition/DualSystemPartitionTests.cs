using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Partition;

public sealed class DualSystemPartitionTests
{
    private const string Name = "model.layers.0.self_attn.q_proj.lora_A";

    public DualSystemPartitionTests() => TorchRuntime.EnsureInitialized();

    // One 2×3 LoRA tensor, flat scores s1 = [3, 1, 2, 2, 0, 2] (total 10), s2 = [1, 4, 2, 0, 3, 2] (total 12).
    // θ = 0.9: S1 = {0, 2, 3, 5} (cumulative 3, 5, 7, 9 ≥ 9), S2 = {1, 4, 2, 5} (cumulative 4, 7, 9, 11 ≥ 10.8).
    // Ω1-only = {0, 3}, Ω2-only = {1, 4}, shared = {2, 5}, Jaccard = 2/6. Both shared elements tie in s1 and in s2,
    // so "top 1 of 2" picks flat index 2 in both stages.
    private static ImportanceScores HandScores() => new(
        new Dictionary<string, Tensor> { [Name] = tensor(new float[] { 3, 1, 2, 2, 0, 2 }).reshape(2, 3) },   // (6,) -> (2, 3)
        new Dictionary<string, Tensor> { [Name] = tensor(new float[] { 1, 4, 2, 0, 3, 2 }).reshape(2, 3) });   // (6,) -> (2, 3)

    [Theory]
    [InlineData(1.0, 1.0, new[] { 0, 2, 3, 5 }, new[] { 1, 2, 4, 5 })]
    [InlineData(0.5, 0.5, new[] { 0, 2, 3 }, new[] { 1, 2, 4 })]
    [InlineData(0.0, 1.0, new[] { 0, 3 }, new[] { 1, 2, 4, 5 })]
    [InlineData(0.49, 0.0, new[] { 0, 3 }, new[] { 1, 4 })]
    public void Algorithm_1_on_the_hand_example(double alpha, double beta, int[] stage1, int[] stage2)
    {
        using var scope = NewDisposeScope();
        using var scores = HandScores();
        using var partition = DualSystemPartition.Create(scores, new PartitionOptions(0.9, alpha, beta));
        var c = partition.Sets.Counts;
        Assert.Equal((6L, 4L, 4L, 2L, 2L, 2L), (c.Total, c.System1, c.System2, c.Omega1Only, c.Omega2Only, c.Shared));
        Assert.Equal(2.0 / 6, c.Jaccard, 12);
        Assert.Equal(stage1, Selected(partition.Sets.Stage1));
        Assert.Equal(stage2, Selected(partition.Sets.Stage2));
        using var masks = partition.ToMasks();
        Assert.Equal(new long[] { 2, 3 }, masks.For(TrainingStage.Stage1)[Name].shape);
        Assert.Equal(stage1, Selected(masks.For(TrainingStage.Stage1)[Name].reshape(-1)));   // (2, 3) -> (6,)
    }

    [Fact]
    public void A_smaller_theta_shrinks_both_sets_on_the_hand_example()
    {
        using var scope = NewDisposeScope();
        using var scores = HandScores();
        using var partition = DualSystemPartition.Create(scores, new PartitionOptions(0.5));
        Assert.Equal(new[] { 0, 2 }, Selected(partition.Sets.System1));   // cumulative 3, 5 ≥ 5
        Assert.Equal(new[] { 1, 4 }, Selected(partition.Sets.System2));   // cumulative 4, 7 ≥ 6
        Assert.Equal(0, partition.Sets.Counts.Shared);
    }

    [Fact]
    public void Full_activates_every_element_in_both_stages()
    {
        using var scope = NewDisposeScope();
        using var scores = HandScores();
        using var partition = DualSystemPartition.Create(scores, new PartitionOptions(Selection: MaskStrategy.Full));
        Assert.Equal((6L, 6L), (partition.Sets.Counts.Stage1, partition.Sets.Counts.Stage2));
        using var plain = PartitionMasks.Full(scores.Shapes());
        Assert.Equal(6, plain.ActiveCount(TrainingStage.Stage2));
    }

    [Theory]
    [InlineData(0.0, 1.0, 1.0, "partition.theta: 0 is outside (0, 1]")]
    [InlineData(1.5, 1.0, 1.0, "partition.theta: 1.5 is outside (0, 1]")]
    [InlineData(double.NaN, 1.0, 1.0, "partition.theta: NaN")]
    [InlineData(0.9, -0.1, 1.0, "partition.alpha: -0.1 is outside [0, 1]")]
    [InlineData(0.9, 1.0, 2.0, "partition.beta: 2 is outside [0, 1]")]
    public void Options_out_of_range_are_bad_input(double theta, double alpha, double beta, string message)
    {
        using var scores = HandScores();
        var error = Assert.Throws<BadInputException>(() => DualSystemPartition.Create(scores, new PartitionOptions(theta, alpha, beta)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void All_zero_importance_is_bad_input_that_names_the_inits()
    {
        using var scope = NewDisposeScope();
        using var scores = new ImportanceScores(
            new Dictionary<string, Tensor> { [Name] = ones(2, 3) }, new Dictionary<string, Tensor> { [Name] = zeros(2, 3) });
        var error = Assert.Throws<BadInputException>(() => DualSystemPartition.Create(scores, new PartitionOptions()));
        Assert.Contains("System 2", error.Message);
        Assert.Contains("gaussian-both", error.Message);
    }

    [Fact]
    public void An_empty_stage_is_a_warning()
    {
        using var scope = NewDisposeScope();
        using var scores = new ImportanceScores(
            new Dictionary<string, Tensor> { [Name] = tensor(new float[] { 5, 1, 1, 1, 1, 1 }).reshape(2, 3) },   // (6,) -> (2, 3)
            new Dictionary<string, Tensor> { [Name] = tensor(new float[] { 5, 1, 1, 1, 1, 1 }).reshape(2, 3) });   // (6,) -> (2, 3)
        using var partition = DualSystemPartition.Create(scores, new PartitionOptions(0.3, 0, 1));
        Assert.Contains(partition.Warnings, w => w.StartsWith("stage 1 activates no LoRA element", StringComparison.Ordinal));
    }

    [Fact]
    public void Masks_survive_a_save_and_load_as_bool_tensors()
    {
        using var scope = NewDisposeScope();
        using var scores = SyntheticScores.Create(seed: 1);
        using var partition = DualSystemPartition.Create(scores, new PartitionOptions(0.8, 0.5, 0.7));
        using var masks = partition.ToMasks();
        var dir = Directory.CreateTempSubdirectory("lorapar-masks-");
        try
        {
            var path = Path.Combine(dir.FullName, PartitionMasks.FileName);
            masks.Save(path);
            using var loaded = PartitionMasks.Load(path);
            Assert.Equal(masks.Names, loaded.Names);
            foreach (var stage in TrainingStageNames.All)
            {
                Assert.Equal(stage == TrainingStage.Stage1 ? partition.Sets.Counts.Stage1 : partition.Sets.Counts.Stage2, loaded.ActiveCount(stage));
                foreach (var name in masks.Names)
                {
                    Assert.Equal(ScalarType.Bool, loaded.For(stage)[name].dtype);
                    Assert.True(masks.For(stage)[name].equal(loaded.For(stage)[name]).all().item<bool>());
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    internal static int[] Selected(Tensor mask) =>
        mask.data<bool>().ToArray().Select((on, i) => (on, i)).Where(p => p.on).Select(p => p.i).ToArray();
}

using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Partition;

public sealed class EqualCountSelectionTests
{
    public EqualCountSelectionTests() => TorchRuntime.EnsureInitialized();

    // Two tensors laid out A (1×3) then B (3×1): flat indices 0–2 are q_proj.lora_A, 3–5 q_proj.lora_B.
    private static readonly LoraLayout Layout = new(new Dictionary<string, long[]>
    {
        ["model.layers.0.self_attn.q_proj.lora_B"] = [3, 1],
        ["model.layers.0.self_attn.q_proj.lora_A"] = [1, 3],
    });

    [Fact]
    public void Each_tensor_keeps_the_reference_count_chosen_by_the_other_scores()
    {
        using var scope = NewDisposeScope();
        var reference = tensor(new[] { true, true, false, false, false, true });   // 2 of A, 1 of B
        var scores = tensor(new[] { 0.1, 0.9, 0.5, 0.7, 0.2, 0.3 });
        var selected = EqualCountSelection.Select(reference, scores, Layout);
        Assert.Equal([false, true, true, true, false, false], selected.data<bool>().ToArray());   // A: 0.9, 0.5; B: 0.7
        Assert.Equal(2, CutCrossings.Count(selected, reference));   // indices 2 and 3 entered, 0 and 5 left
        Assert.Equal(2, CutCrossings.Count(reference, selected));
    }

    [Fact]
    public void Ties_go_to_the_lower_flat_index_and_an_empty_tensor_count_selects_nothing_there()
    {
        using var scope = NewDisposeScope();
        var reference = tensor(new[] { true, false, false, false, false, false });
        var scores = tensor(new[] { 0.4, 0.4, 0.4, 9.0, 9.0, 9.0 });
        Assert.Equal([true, false, false, false, false, false], EqualCountSelection.Select(reference, scores, Layout).data<bool>().ToArray());
    }

    [Fact]
    public void The_partition_from_another_estimator_keeps_S1_and_S2_sizes_per_tensor()
    {
        using var scores = SyntheticScores.Create(3);
        using var other = SyntheticScores.Create(4);
        using var paper = DualSystemPartition.Create(scores, new PartitionOptions(Theta: 0.8));
        using var ablated = DualSystemPartition.Create(scores, new PartitionOptions(Theta: 0.8), estimator: other);
        using var scope = NewDisposeScope();
        foreach (var segment in paper.Layout.Segments)
        {
            long Count(Tensor mask) => mask.narrow(0, segment.Offset, segment.Count).sum().item<long>();
            Assert.Equal(Count(paper.Sets.System1), Count(ablated.Sets.System1));
            Assert.Equal(Count(paper.Sets.System2), Count(ablated.Sets.System2));
        }
        Assert.True(CutCrossings.Count(paper.Sets.System1, ablated.Sets.System1) > 0, "independent scores must choose other elements");
        Assert.Equal(ablated.Sets.Counts.Omega1Only + ablated.Sets.Counts.Shared, ablated.Sets.Counts.Stage1);   // α = 1
    }
}

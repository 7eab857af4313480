using LoraPar.Method.Partition;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Partition;

public sealed class MaskJaccardTests
{
    public MaskJaccardTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Overlap_is_intersection_over_union_and_two_empty_sets_are_equal()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(1.0 / 3, MaskJaccard.Of(tensor(new[] { true, true, false, false }), tensor(new[] { false, true, true, false })), 12);
        Assert.Equal(0, MaskJaccard.Of(tensor(new[] { true, false }), tensor(new[] { false, true })));
        Assert.Equal(1, MaskJaccard.Of(zeros(3, ScalarType.Bool), zeros(3, ScalarType.Bool)));
    }
}

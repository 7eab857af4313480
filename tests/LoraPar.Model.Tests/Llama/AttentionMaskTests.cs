using LoraPar.Model.Llama;
using TorchSharp;

namespace LoraPar.Model.Tests.Llama;

public sealed class AttentionMaskTests : TorchTest
{
    private static bool[] Flat(AttentionMask m) => m.Mask!.data<bool>().ToArray();

    [Fact]
    public void Without_padding_or_past_the_builtin_causal_mask_is_used()
    {
        var m = AttentionMask.Build(null, 5, 0, 1, torch.CPU);
        Assert.True(m.IsCausal);
        Assert.Null(m.Mask);
    }

    [Fact]
    public void A_single_new_query_without_padding_needs_no_mask()
    {
        var m = AttentionMask.Build(null, 1, 7, 4, torch.CPU);
        Assert.False(m.IsCausal);
        Assert.Null(m.Mask);
    }

    [Fact]
    public void Queries_after_a_past_see_the_past_and_earlier_new_keys()
    {
        var m = AttentionMask.Build(null, 2, 1, 1, torch.CPU);   // slots 1, 2 over keys 0..2
        Assert.Equal(new long[] { 1, 1, 2, 3 }, m.Mask!.shape);
        Assert.Equal([true, true, false, true, true, true], Flat(m));
    }

    [Fact]
    public void Padding_keys_are_hidden_but_a_padding_query_still_sees_itself()
    {
        using var valid = torch.tensor(new[] { false, true, true }).view(1, 3);   // left padding of one slot
        var m = AttentionMask.Build(valid, 3, 0, 1, torch.CPU);
        Assert.Equal([
            true, false, false,
            false, true, false,
            false, true, true], Flat(m));
    }

    [Fact]
    public void Grouped_queries_repeat_the_rows_once_per_head_in_the_group()
    {
        var m = AttentionMask.Build(null, 2, 0, 2, torch.CPU);
        Assert.Equal(new long[] { 1, 1, 4, 2 }, m.Mask!.shape);
        Assert.Equal([true, false, true, true, true, false, true, true], Flat(m));
    }
}

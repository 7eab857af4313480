using LoraPar.Model.Objectives;
using LoraPar.Model.Runtime;
using LoraPar.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Tests.Data;

public sealed class SftBatcherTests
{
    public SftBatcherTests() => TorchRuntime.EnsureInitialized();

    private static readonly AnswerExample A = new([1, 5, 6], [7, 2]);
    private static readonly AnswerExample B = new([1, 8], [9, 10, 2]);
    private static readonly AnswerExample C = new([1, 4], [2]);

    [Fact]
    public void Collate_pads_right_and_labels_only_responses()
    {
        using var scope = NewDisposeScope();
        var batch = SftBatcher.Collate([A, B, C], new SftBatchPlan([[0], [2]]), padId: 0, CPU);
        Assert.Equal(new long[] { 2, 5 }, batch.InputIds.shape);
        Assert.Equal(new long[] { 1, 5, 6, 7, 2, 1, 4, 2, 0, 0 }, batch.InputIds.data<long>().ToArray());
        Assert.Equal(new long[] { -100, -100, -100, 7, 2, -100, -100, 2, -100, -100 }, batch.Labels.data<long>().ToArray());
        Assert.Equal(8, batch.RealTokens);
        Assert.Equal(3, batch.AnswerTokens);
        Assert.Equal(3, SftBatcher.AnswerTokens([A, B, C], new SftBatchPlan([[0], [2]])));
    }

    [Fact]
    public void Packed_rows_concatenate_examples_and_keep_their_own_labels()
    {
        using var scope = NewDisposeScope();
        var batch = SftBatcher.Collate([A, B, C], new SftBatchPlan([[0, 1]]), padId: 0, CPU);
        Assert.Equal(new long[] { 1, 5, 6, 7, 2, 1, 8, 9, 10, 2 }, batch.InputIds.data<long>().ToArray());
        Assert.Equal(new long[] { -100, -100, -100, 7, 2, -100, -100, 9, 10, 2 }, batch.Labels.data<long>().ToArray());
        Assert.Equal(5, batch.AnswerTokens);
    }

    [Fact]
    public void The_order_is_a_pure_function_of_seed_and_epoch()
    {
        var lengths = Enumerable.Range(0, 40).Select(i => 3 + i % 7).ToList();
        var options = new BatchingOptions { BatchSize = 4 };
        string Key(IReadOnlyList<SftBatchPlan> plan) => string.Join("|", plan.Select(b => string.Join(",", b.Rows.Select(r => string.Join("+", r)))));
        Assert.Equal(Key(SftBatcher.Plan(lengths, options, 11, 0)), Key(SftBatcher.Plan(lengths, options, 11, 0)));
        Assert.NotEqual(Key(SftBatcher.Plan(lengths, options, 11, 0)), Key(SftBatcher.Plan(lengths, options, 11, 1)));
        Assert.NotEqual(Key(SftBatcher.Plan(lengths, options, 11, 0)), Key(SftBatcher.Plan(lengths, options, 12, 0)));
        var all = SftBatcher.Plan(lengths, options, 11, 3).SelectMany(b => b.Rows.SelectMany(r => r)).Order();
        Assert.Equal(Enumerable.Range(0, 40), all);
        Assert.Equal(10, SftBatcher.BatchesPerEpoch(lengths, options, 11));
    }

    [Fact]
    public void Grouping_by_length_reduces_padding()
    {
        var lengths = Enumerable.Range(0, 64).Select(i => 2 + (i * 37) % 50).ToList();
        long Padding(bool group) => SftBatcher.Plan(lengths, new BatchingOptions { BatchSize = 8, GroupByLength = group, MegaBatchMultiplier = 8 }, 5, 0)
            .Sum(b => b.Rows.Count * b.Rows.Max(r => lengths[r[0]]) - b.Rows.Sum(r => (long)lengths[r[0]]));
        Assert.True(Padding(group: true) * 4 < Padding(group: false), $"grouped {Padding(true)} vs random {Padding(false)}");
    }

    [Fact]
    public void Packing_fills_rows_up_to_the_maximum_length()
    {
        var lengths = Enumerable.Repeat(5, 20).ToList();
        var plan = SftBatcher.Plan(lengths, new BatchingOptions { BatchSize = 2, Packing = true, MaxLength = 16 }, 3, 0);
        Assert.All(plan.SelectMany(b => b.Rows), row => Assert.True(row.Count * 5 <= 16));
        Assert.Equal(7, plan.Sum(b => b.Rows.Count));            // 20 examples, 3 per row
        Assert.Equal(4, plan.Count);
    }
}
